namespace InverseProxy.Logging;

/// <summary>
/// The open log file and its size-based rotation. Used only by the log-writer thread (and by the
/// <see cref="LogFileWriter"/> constructor before that thread starts), so it takes no locks.
/// Write errors propagate; the caller counts them and calls <see cref="Close"/> so the next batch reopens.
/// </summary>
internal sealed class LogFile : IDisposable
{
    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _keep;
    private FileStream? _stream;
    private long _length;

    // Where the next rotation happens; pushed one limit further when a rotation fails, so lines keep flowing.
    private long _rotateAt;
    private bool _atLineStart = true;

    public LogFile(string path, long maxSize, int keep)
    {
        _path = path;
        _maxSize = maxSize;
        _keep = keep;
    }

    public bool IsOpen => _stream is not null;

    /// <summary>Rotations that failed (rename refused, say); the file then grows past the limit.</summary>
    public long RotationFailures { get; private set; }

    /// <summary>Opens (creating the directory and the file if missing) and appends to what is there.</summary>
    public void Open()
    {
        string? directory = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Share Delete so logrotate (or a user) may move or remove the file while it is open; tail -F copes.
        _stream = new FileStream(
            _path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _length = _stream.Length;
        _rotateAt = _maxSize;
        _atLineStart = true;
    }

    public void Close()
    {
        FileStream? stream = _stream;
        _stream = null;
        try
        {
            stream?.Dispose();
        }
        catch (IOException)
        {
            // Nothing was buffered (bufferSize 0); a failing close loses nothing.
        }
    }

    /// <summary>
    /// Writes whole lines (each ending in '\n'), rotating first whenever the next line would take the file
    /// past the size limit. A single line longer than the limit is written whole into a file of its own.
    /// </summary>
    public void Write(ReadOnlySpan<byte> lines)
    {
        while (!lines.IsEmpty)
        {
            if (!IsOpen)
            {
                Open();
            }

            int take = _maxSize > 0 ? FitToLimit(lines) : lines.Length;
            if (take == 0)
            {
                Rotate();
                continue;
            }

            _stream!.Write(lines[..take]);
            _length += take;
            _atLineStart = lines[take - 1] == (byte)'\n';
            lines = lines[take..];
        }
    }

    public void Dispose() => Close();

    /// <summary>How many bytes of <paramref name="lines"/> go into the current file; 0 = rotate first.</summary>
    private int FitToLimit(ReadOnlySpan<byte> lines)
    {
        long room = _rotateAt - _length;
        if (lines.Length <= room)
        {
            return lines.Length;
        }

        if (room > 0)
        {
            int lastBreak = lines[..(int)room].LastIndexOf((byte)'\n');
            if (lastBreak >= 0)
            {
                return lastBreak + 1;
            }
        }

        if (_atLineStart && _length > 0)
        {
            return 0;
        }

        // The file is empty or a line is half written: finish that line here, however long.
        int firstBreak = lines.IndexOf((byte)'\n');
        return firstBreak < 0 ? lines.Length : firstBreak + 1;
    }

    /// <summary>proxy.log.(keep-1) → .keep, …, proxy.log → proxy.log.1, then a fresh proxy.log.</summary>
    private void Rotate()
    {
        Close();
        try
        {
            ShiftFiles();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RotationFailures++;
            Open();
            _rotateAt = _length + _maxSize;
            return;
        }

        Open();
    }

    private void ShiftFiles()
    {
        if (_keep <= 0)
        {
            File.Delete(_path);
        }
        else
        {
            File.Delete(RotatedName(_keep));
            for (int i = _keep - 1; i >= 1; i--)
            {
                if (File.Exists(RotatedName(i)))
                {
                    File.Move(RotatedName(i), RotatedName(i + 1), overwrite: true);
                }
            }

            if (File.Exists(_path))
            {
                File.Move(_path, RotatedName(1), overwrite: true);
            }
        }
    }

    private string RotatedName(int index) => _path + "." + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
