using System.Buffers;
using System.Text;

namespace InverseProxy.Logging;

/// <summary>
/// A growable UTF-8 buffer that one log line is formatted into before it is copied into the
/// <see cref="LogFileWriter"/> ring. <see cref="Acquire"/> hands out a per-thread instance so that
/// formatting a line allocates nothing in steady state.
/// </summary>
internal sealed partial class LineBuffer : IBufferWriter<byte>
{
    private const int InitialCapacity = 512;

    // A line this long is unusual (a huge target or message); do not keep the array for the thread's lifetime.
    private const int RetainedCapacity = 16 * 1024;

    [ThreadStatic]
    private static LineBuffer? t_cached;

    private byte[] _buffer = new byte[InitialCapacity];
    private int _length;
    private bool _inUse;

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>The calling thread's buffer, emptied; a fresh one if a caller on this thread still holds it.</summary>
    public static LineBuffer Acquire()
    {
        LineBuffer? buffer = t_cached;
        if (buffer is null || buffer._inUse)
        {
            buffer = new LineBuffer();
            t_cached ??= buffer;
        }

        buffer._inUse = true;
        buffer._length = 0;
        return buffer;
    }

    /// <summary>Gives the buffer back to its thread.</summary>
    public void Release()
    {
        _inUse = false;
        if (_buffer.Length > RetainedCapacity)
        {
            _buffer = new byte[InitialCapacity];
        }
    }

    public void Clear() => _length = 0;

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_length);
    }

    public void Append(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void Append(ReadOnlySpan<byte> utf8)
    {
        Ensure(utf8.Length);
        utf8.CopyTo(_buffer.AsSpan(_length));
        _length += utf8.Length;
    }

    /// <summary>Appends text that is known to be plain ASCII (names, tokens of our own).</summary>
    public void AppendAscii(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        _length += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_length));
    }

    public void AppendUtf8(ReadOnlySpan<char> text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    public void AppendFormatted<T>(T value)
        where T : IUtf8SpanFormattable
    {
        int written;
        while (!value.TryFormat(_buffer.AsSpan(_length), out written, default, null))
        {
            Grow(_buffer.Length);
        }

        _length += written;
    }

    private void Ensure(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Grow(count);
        }
    }

    private void Grow(int atLeast)
    {
        int capacity = Math.Max(_buffer.Length * 2, _length + atLeast);
        Array.Resize(ref _buffer, capacity);
    }
}
