namespace InverseProxy.Http;

/// <summary>
/// A connection's bytes when they do not go straight to its socket: TLS. <see cref="MessageReader"/> and
/// <see cref="SocketWriter"/> call recv and writev on a plain socket themselves (<see cref="BlockingSocketIo"/>), so
/// the plain path pays no virtual call and no allocation; with a transport they call it instead. Both calls block
/// within the socket's SO_RCVTIMEO / SO_SNDTIMEO and report a timeout as <see cref="System.Net.Sockets.SocketException"/>
/// TimedOut, as the socket calls do.
/// </summary>
internal interface ITransport
{
    /// <summary>Bytes received, 0 at end of stream.</summary>
    int Receive(Span<byte> buffer);

    /// <summary>Writes the three spans in order; returns the bytes written, which may be fewer than asked.</summary>
    int Send(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third);
}
