using System.Collections;

namespace InverseProxy.Caching;

/// <summary>
/// A doubly linked recency list: the head is the most recently used item, the tail the next to evict.
/// Every operation is O(1). Not thread-safe: the owner's lock guards it.
/// </summary>
internal sealed class LruList<T> : IEnumerable<T>
{
    private LruNode<T>? _head;
    private LruNode<T>? _tail;

    public int Count { get; private set; }

    /// <summary>The most recently used node, or null when empty.</summary>
    public LruNode<T>? First => _head;

    /// <summary>The least recently used node, or null when empty.</summary>
    public LruNode<T>? Last => _tail;

    public LruNode<T> AddFirst(T value)
    {
        var node = new LruNode<T>(value);
        LinkFirst(node);
        return node;
    }

    public LruNode<T> AddLast(T value)
    {
        var node = new LruNode<T>(value) { List = this, Previous = _tail };
        if (_tail is null)
        {
            _head = node;
        }
        else
        {
            _tail.Next = node;
        }
        _tail = node;
        Count++;
        return node;
    }

    public void MoveToFront(LruNode<T> node)
    {
        EnsureOwned(node);
        if (ReferenceEquals(node, _head))
        {
            return;
        }
        Unlink(node);
        LinkFirst(node);
    }

    public void Remove(LruNode<T> node)
    {
        EnsureOwned(node);
        Unlink(node);
    }

    /// <summary>Unlinks and returns the least recently used node, or null when empty.</summary>
    public LruNode<T>? RemoveLast()
    {
        var node = _tail;
        if (node is not null)
        {
            Unlink(node);
        }
        return node;
    }

    /// <summary>Items from most to least recently used.</summary>
    public Enumerator GetEnumerator() => new(_head);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void LinkFirst(LruNode<T> node)
    {
        node.List = this;
        node.Previous = null;
        node.Next = _head;
        if (_head is null)
        {
            _tail = node;
        }
        else
        {
            _head.Previous = node;
        }
        _head = node;
        Count++;
    }

    private void Unlink(LruNode<T> node)
    {
        if (node.Previous is null)
        {
            _head = node.Next;
        }
        else
        {
            node.Previous.Next = node.Next;
        }
        if (node.Next is null)
        {
            _tail = node.Previous;
        }
        else
        {
            node.Next.Previous = node.Previous;
        }
        node.Previous = null;
        node.Next = null;
        node.List = null;
        Count--;
    }

    private void EnsureOwned(LruNode<T> node)
    {
        if (!ReferenceEquals(node.List, this))
        {
            throw new InvalidOperationException("The node does not belong to this list.");
        }
    }

    public struct Enumerator : IEnumerator<T>
    {
        private LruNode<T>? _next;
        private T _current;

        internal Enumerator(LruNode<T>? head)
        {
            _next = head;
            _current = default!;
        }

        public readonly T Current => _current;

        readonly object? IEnumerator.Current => _current;

        public bool MoveNext()
        {
            if (_next is null)
            {
                return false;
            }
            _current = _next.Value;
            _next = _next.Next;
            return true;
        }

        public readonly void Reset() => throw new NotSupportedException();

        public readonly void Dispose()
        {
        }
    }
}
