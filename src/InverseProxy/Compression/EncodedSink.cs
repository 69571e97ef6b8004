namespace InverseProxy.Compression;

/// <summary>
/// The stream an encoder writes into while a body streams: each piece of encoded output goes to
/// <paramref name="write"/> at once (to the client, and to the cache's copy). Write-only.
/// </summary>
internal sealed class EncodedSink(Action<ReadOnlyMemory<byte>> write) : Stream
{
    private byte[] _scratch = [];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (count > 0)
        {
            write(buffer.AsMemory(offset, count));
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }
        // The encoders write from their own buffers; a copy is needed only to hand the bytes on as memory.
        if (_scratch.Length < buffer.Length)
        {
            _scratch = new byte[Math.Max(buffer.Length, 16 * 1024)];
        }
        buffer.CopyTo(_scratch);
        write(_scratch.AsMemory(0, buffer.Length));
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
