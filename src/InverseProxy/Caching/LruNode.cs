namespace InverseProxy.Caching;

/// <summary>
/// One link of an <see cref="LruList{T}"/>. The node carries its own links so that moving or removing it is O(1)
/// given the node, without a search. Guarded by whoever guards the list it belongs to.
/// </summary>
internal sealed class LruNode<T>
{
    public LruNode(T value)
    {
        Value = value;
    }

    public T Value { get; set; }

    /// <summary>Towards the most recently used end; null at the head.</summary>
    public LruNode<T>? Previous { get; internal set; }

    /// <summary>Towards the least recently used end; null at the tail.</summary>
    public LruNode<T>? Next { get; internal set; }

    /// <summary>The owner's next node for the same resource (its variants form a chain); null at the end.</summary>
    internal LruNode<T>? NextVariant { get; set; }

    /// <summary>Where the owner's latest snapshot holds this node's value; -1 when it was added since.</summary>
    internal int SnapshotSlot { get; set; } = -1;

    /// <summary>The list this node is linked into, or null once removed.</summary>
    internal LruList<T>? List { get; set; }
}
