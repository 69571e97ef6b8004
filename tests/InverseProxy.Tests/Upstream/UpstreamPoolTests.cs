using System.Net;
using System.Net.Sockets;
using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Tests.TestSupport;
using InverseProxy.Upstream;

namespace InverseProxy.Tests.Upstream;

public sealed class UpstreamPoolTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly Socket _listener;
    private readonly ProxyOptions _options = new()
    {
        UpstreamIdleTimeout = TimeSpan.FromSeconds(30),
        UpstreamMaxIdlePerTarget = 4,
        UpstreamConnectTimeout = TimeSpan.FromSeconds(5),
    };
    private readonly UpstreamPool _pool;
    private readonly UpstreamIo _io = new();
    private readonly UpstreamTarget _target;

    public UpstreamPoolTests()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        _pool = new UpstreamPool(() => _options, _time);
        _target = new UpstreamTarget(new DnsEndPoint("127.0.0.1", ((IPEndPoint)_listener.LocalEndPoint!).Port), _time);
    }

    [Fact]
    public void Rent_NothingIdle_OpensConnectionToTheTarget()
    {
        using var connection = _pool.Rent(_target, _io);
        using var accepted = _listener.Accept();

        Assert.Same(_target, connection.Target);
        Assert.Equal(((IPEndPoint)accepted.RemoteEndPoint!).Port, ((IPEndPoint)connection.Socket.LocalEndPoint!).Port);
        Assert.Equal(1, _pool.ConnectionsOpened);
        Assert.Equal(0, _pool.Reuses);
    }

    [Fact]
    public void Return_ThenRentIdle_GivesTheSameConnectionBack()
    {
        var connection = _pool.Rent(_target, _io);
        using var accepted = _listener.Accept();

        _pool.Return(connection);
        var again = _pool.RentIdle(_target, _io);

        Assert.Same(connection, again);
        Assert.Equal(1, _pool.Reuses);
        Assert.Null(_pool.RentIdle(_target, _io));
        again!.Dispose();
    }

    [Fact]
    public void Rent_AfterReturn_ReusesWithoutConnecting()
    {
        var connection = _pool.Rent(_target, _io);
        using var accepted = _listener.Accept();
        _pool.Return(connection);

        using var again = _pool.Rent(_target, _io);

        Assert.Same(connection, again);
        Assert.Equal(1, _pool.ConnectionsOpened);
    }

    [Fact]
    public void RentIdle_OtherTarget_ReturnsNull()
    {
        var connection = _pool.Rent(_target, _io);
        using var accepted = _listener.Accept();
        _pool.Return(connection);
        var other = new UpstreamTarget(new DnsEndPoint("127.0.0.1", 1), _time);

        Assert.Null(_pool.RentIdle(other, _io));
    }

    [Fact]
    public void RentIdle_JustUnderIdleTimeout_Reuses()
    {
        var connection = _pool.Rent(_target, _io);
        using var accepted = _listener.Accept();
        _pool.Return(connection);

        _time.Advance(TimeSpan.FromSeconds(29));

        Assert.Same(connection, _pool.RentIdle(_target, _io));
        connection.Dispose();
    }

    [Fact]
    public void RentIdle_IdleForTheIdleTimeout_ClosesItAndReturnsNull()
    {
        var connection = _pool.Rent(_target, _io);
        using var accepted = _listener.Accept();
        _pool.Return(connection);

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Null(_pool.RentIdle(_target, _io));
        Assert.Equal(0, accepted.Receive(new byte[1])); // the pool closed its end
        Assert.Equal(0, _pool.Reuses);
    }

    [Fact]
    public void RentIdle_TargetClosedTheConnection_NotHandedOut()
    {
        var connection = _pool.Rent(_target, _io);
        var accepted = _listener.Accept();
        _pool.Return(connection);

        accepted.Dispose();
        Assert.True(connection.Socket.Poll(10_000_000, SelectMode.SelectRead)); // wait for the FIN to arrive

        Assert.Null(_pool.RentIdle(_target, _io));
        Assert.True(connection.Socket.SafeHandle.IsClosed);
    }

    [Fact]
    public void RentIdle_TargetSentUnexpectedBytes_NotHandedOut()
    {
        var connection = _pool.Rent(_target, _io);
        using var accepted = _listener.Accept();
        _pool.Return(connection);

        accepted.Send("HTTP/1.1 200 OK\r\n"u8);
        Assert.True(connection.Socket.Poll(10_000_000, SelectMode.SelectRead));

        Assert.Null(_pool.RentIdle(_target, _io));
    }

    [Fact]
    public void Return_BytesBufferedPastTheResponse_ClosedNotPooled()
    {
        var connection = _pool.Rent(_target, _io);
        using var accepted = _listener.Accept();
        accepted.Send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n"u8);
        connection.Socket.ReceiveTimeout = 5000;
        connection.Reader.ReadResponseHead(HttpLimits.Default);
        while (connection.Reader.BufferedCount == 0)
        {
            connection.Reader.Fill(); // the bytes past the head, should they come in a later segment
        }

        _pool.Return(connection);

        Assert.True(connection.Socket.SafeHandle.IsClosed);
        Assert.Null(_pool.RentIdle(_target, _io));
    }

    [Fact]
    public void Rent_ReaderAndWriter_BelongToTheRenterWhileRentedOnly()
    {
        var first = _pool.Rent(_target, _io);
        var second = _pool.Rent(_target, _io);
        using var acceptedFirst = _listener.Accept();
        using var acceptedSecond = _listener.Accept();

        Assert.Same(_io.Reader, first.Reader);
        Assert.Same(_io.Writer, first.Writer);
        Assert.NotSame(first.Reader, second.Reader); // the renter's pair is taken: the second gets one of its own

        _pool.Return(first);
        Assert.Throws<InvalidOperationException>(() => first.Reader); // idle in the pool: only its socket
        Assert.Same(first, _pool.RentIdle(_target, _io));
        Assert.Same(_io.Reader, first.Reader);
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public void Return_MoreThanMaxIdlePerTarget_ClosesTheExtra()
    {
        _options.UpstreamMaxIdlePerTarget = 2;
        var rented = Enumerable.Range(0, 3).Select(_ => _pool.Rent(_target, _io)).ToList();
        var accepted = rented.Select(_ => _listener.Accept()).ToList();

        rented.ForEach(_pool.Return);

        Assert.True(rented[2].Socket.SafeHandle.IsClosed);
        Assert.False(rented[0].Socket.SafeHandle.IsClosed);
        var kept = new[] { _pool.RentIdle(_target, _io), _pool.RentIdle(_target, _io) };
        Assert.Equal(new HashSet<UpstreamConnection?> { rented[0], rented[1] }, kept.ToHashSet());
        Assert.Null(_pool.RentIdle(_target, _io));
        rented.ForEach(c => c.Dispose());
        accepted.ForEach(s => s.Dispose());
    }

    [Fact]
    public void Return_AfterDispose_ClosesTheConnection()
    {
        var connection = _pool.Rent(_target, _io);
        using var accepted = _listener.Accept();

        _pool.Dispose();
        _pool.Return(connection);

        Assert.True(connection.Socket.SafeHandle.IsClosed);
    }

    [Fact]
    public void Dispose_IdleConnections_AreClosed()
    {
        var connection = _pool.Rent(_target, _io);
        using var accepted = _listener.Accept();
        _pool.Return(connection);

        _pool.Dispose();

        Assert.Equal(0, accepted.Receive(new byte[1]));
    }

    [Fact]
    public void Connect_NothingListening_ThrowsSocketException()
    {
        // Bound but not listening: the port stays ours, and a connect to it is refused.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new UpstreamTarget(new DnsEndPoint("127.0.0.1", ((IPEndPoint)closed.LocalEndPoint!).Port), _time);

        var error = Assert.Throws<SocketException>(() => _pool.Connect(target, _io));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.Equal(0, _pool.ConnectionsOpened);
    }

    [Fact]
    public void Connect_TargetBacklogFull_ThrowsTimeoutException()
    {
        // Linux drops a SYN while the listener's accept queue is full, so the connect neither succeeds nor fails.
        using var full = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        full.Listen(0);
        var target = new UpstreamTarget(new DnsEndPoint("127.0.0.1", ((IPEndPoint)full.LocalEndPoint!).Port), _time);
        _options.UpstreamConnectTimeout = TimeSpan.FromMilliseconds(300);
        var opened = new List<UpstreamConnection>();

        var error = Record.Exception(() =>
        {
            for (int i = 0; i < 8; i++)
            {
                opened.Add(_pool.Connect(target, _io));
            }
        });

        opened.ForEach(c => c.Dispose());
        Assert.IsType<TimeoutException>(error);
        Assert.Contains(target.Name, error.Message);
    }

    public void Dispose()
    {
        _pool.Dispose();
        _listener.Dispose();
    }
}
