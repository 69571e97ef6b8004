using InverseProxy.Caching;

namespace InverseProxy.Tests.Caching;

public sealed class LruListTests
{
    [Fact]
    public void AddFirst_SeveralItems_EnumeratesMostRecentFirst()
    {
        var list = new LruList<string>();
        list.AddFirst("a");
        list.AddFirst("b");
        list.AddFirst("c");

        Assert.Equal(["c", "b", "a"], list.ToArray());
        Assert.Equal(3, list.Count);
        Assert.Equal("c", list.First!.Value);
        Assert.Equal("a", list.Last!.Value);
    }

    [Fact]
    public void MoveToFront_MiddleAndLastNodes_ReordersWithoutChangingCount()
    {
        var list = new LruList<string>();
        var a = list.AddFirst("a");
        var b = list.AddFirst("b");
        list.AddFirst("c");

        list.MoveToFront(b);
        Assert.Equal(["b", "c", "a"], list.ToArray());
        list.MoveToFront(a);
        Assert.Equal(["a", "b", "c"], list.ToArray());
        list.MoveToFront(a);
        Assert.Equal(["a", "b", "c"], list.ToArray());
        Assert.Equal(3, list.Count);
        Assert.Equal("c", list.Last!.Value);
    }

    [Fact]
    public void Remove_HeadMiddleTail_LinksStayConsistent()
    {
        var list = new LruList<int>();
        var nodes = Enumerable.Range(0, 5).Select(list.AddFirst).ToArray();

        list.Remove(nodes[2]);
        list.Remove(nodes[4]);
        list.Remove(nodes[0]);

        Assert.Equal([3, 1], list.ToArray());
        Assert.Equal(3, list.First!.Value);
        Assert.Equal(1, list.Last!.Value);
        Assert.Null(list.First.Previous);
        Assert.Null(list.Last.Next);
        Assert.Same(list.Last, list.First.Next);
    }

    [Fact]
    public void RemoveLast_UntilEmpty_ReturnsLeastRecentFirstThenNull()
    {
        var list = new LruList<int>();
        list.AddFirst(1);
        list.AddFirst(2);

        Assert.Equal(1, list.RemoveLast()!.Value);
        Assert.Equal(2, list.RemoveLast()!.Value);
        Assert.Null(list.RemoveLast());
        Assert.Equal(0, list.Count);
        Assert.Null(list.First);
        Assert.Null(list.Last);
        Assert.Empty(list);
    }

    [Fact]
    public void AddLast_AfterAddFirst_GoesToTheTail()
    {
        var list = new LruList<int>();
        list.AddFirst(1);
        list.AddLast(2);

        Assert.Equal([1, 2], list.ToArray());
        Assert.Equal(2, list.Last!.Value);
    }

    [Fact]
    public void Remove_NodeAlreadyRemoved_Throws()
    {
        var list = new LruList<int>();
        var node = list.AddFirst(1);
        list.Remove(node);

        Assert.Throws<InvalidOperationException>(() => list.Remove(node));
        Assert.Throws<InvalidOperationException>(() => new LruList<int>().MoveToFront(list.AddFirst(2)));
    }

    [Fact]
    public void Operations_ManyItems_StayConstantTimePerCall()
    {
        // 200k moves and removals finish only if each is O(1); a linear scan would take minutes.
        var list = new LruList<int>();
        var nodes = new LruNode<int>[200_000];
        for (int i = 0; i < nodes.Length; i++)
        {
            nodes[i] = list.AddFirst(i);
        }
        for (int i = 0; i < nodes.Length; i++)
        {
            list.MoveToFront(nodes[i]);
        }
        for (int i = 0; i < nodes.Length; i += 2)
        {
            list.Remove(nodes[i]);
        }

        Assert.Equal(100_000, list.Count);
        Assert.Equal(nodes.Length - 1, list.First!.Value);
        Assert.Equal(1, list.Last!.Value);
    }
}
