namespace InverseProxy.Http;

/// <summary>
/// Pure parser for request and response heads (RFC 9112 §2-§5). Never does I/O.
/// Returns false when the buffer holds no complete head yet (and no limit is exceeded);
/// throws <see cref="HttpParseException"/> for malformed or over-limit input.
/// </summary>
/// <remarks>
/// Two passes: the first finds the line ends and the blank line without allocating (and rejects bare CR/LF,
/// over-long lines and too many fields even before the head is complete); the second builds the strings.
/// </remarks>
internal static partial class HttpHeadParser
{
    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line; a few is enough.
    private const int MaxLeadingEmptyLines = 4;

    public static bool TryParseRequest(ReadOnlySpan<byte> buffer, in HttpLimits limits, out RequestHead? head, out int consumed) =>
        TryParseRequest(buffer, limits, reuse: null, out head, out consumed);

    /// <summary>
    /// As above; a non-null <paramref name="reuse"/> (the connection's previous request, finished with) is refilled
    /// and returned instead of a new head, keeping each of its strings whose bytes repeat: a keep-alive client
    /// sending the same fields again costs no allocation. On an exception it is left part-filled.
    /// </summary>
    public static bool TryParseRequest(ReadOnlySpan<byte> buffer, in HttpLimits limits, RequestHead? reuse, out RequestHead? head, out int consumed)
    {
        head = null;
        consumed = 0;
        int start = SkipLeadingEmptyLines(buffer);
        if (start < 0)
        {
            return false;
        }
        int lineEnd = FindLineEnd(buffer, start);
        if (lineEnd < 0)
        {
            int partial = buffer.Length - start - (buffer[^1] == HttpChars.Cr ? 1 : 0);
            if (partial > limits.MaxRequestLineBytes)
            {
                throw RequestLineTooLong(buffer[start..], limits.MaxRequestLineBytes);
            }
            ThrowIfHeadTooLarge(buffer.Length, limits);
            return false;
        }
        if (lineEnd - start > limits.MaxRequestLineBytes)
        {
            throw RequestLineTooLong(buffer[start..lineEnd], limits.MaxRequestLineBytes);
        }
        int headEnd = FindHeadEnd(buffer, lineEnd + 2, limits);
        if (headEnd < 0)
        {
            return false;
        }
        head = ParseRequestHead(buffer[start..lineEnd], buffer[(lineEnd + 2)..(headEnd - 2)], reuse);
        consumed = headEnd;
        return true;
    }

    public static bool TryParseResponse(ReadOnlySpan<byte> buffer, in HttpLimits limits, out ResponseHead? head, out int consumed) =>
        TryParseResponse(buffer, limits, reuse: null, out head, out consumed);

    /// <summary>As above; a non-null <paramref name="reuse"/> (the connection's previous response, finished with) is refilled and returned.</summary>
    public static bool TryParseResponse(ReadOnlySpan<byte> buffer, in HttpLimits limits, ResponseHead? reuse, out ResponseHead? head, out int consumed)
    {
        head = null;
        consumed = 0;
        int lineEnd = FindLineEnd(buffer, 0);
        if (lineEnd < 0)
        {
            ThrowIfHeadTooLarge(buffer.Length, limits);
            return false;
        }
        int headEnd = FindHeadEnd(buffer, lineEnd + 2, limits);
        if (headEnd < 0)
        {
            return false;
        }
        var (version, status, reason) = ParseStatusLine(buffer[..lineEnd]);
        var headers = ParseFields(buffer[(lineEnd + 2)..(headEnd - 2)], reuse?.Headers, out _);
        if (reuse is null)
        {
            head = new ResponseHead(version, status, reason, headers);
        }
        else
        {
            reuse.Reuse(version, status, reason);
            head = reuse;
        }
        consumed = headEnd;
        return true;
    }

    private static RequestHead ParseRequestHead(ReadOnlySpan<byte> requestLine, ReadOnlySpan<byte> fields, RequestHead? reuse)
    {
        var (method, target, version) = ParseRequestLine(requestLine, reuse?.Target);
        var headers = ParseFields(fields, reuse?.Headers, out int hostCount);
        // RFC 9112 §3.2: a 1.1 request without Host, or any request with more than one, gets a 400.
        if (hostCount > 1)
        {
            throw new HttpParseException(HttpParseError.MultipleHosts);
        }
        if (hostCount == 0 && version == HttpVersion.Http11)
        {
            throw new HttpParseException(HttpParseError.MissingHost);
        }
        if (reuse is null)
        {
            return new RequestHead(method, target, version, headers);
        }
        reuse.Reuse(method, target, version);
        return reuse;
    }

    /// <summary>Index of the first byte after leading CRLFs, or -1 if the buffer may still be one.</summary>
    private static int SkipLeadingEmptyLines(ReadOnlySpan<byte> buffer)
    {
        int pos = 0;
        for (int skipped = 0; ; skipped++)
        {
            if (pos == buffer.Length || (pos == buffer.Length - 1 && buffer[pos] == HttpChars.Cr))
            {
                return -1;
            }
            if (buffer[pos] == HttpChars.Lf)
            {
                throw new HttpParseException(HttpParseError.BareLineFeed);
            }
            if (buffer[pos] != HttpChars.Cr || buffer[pos + 1] != HttpChars.Lf)
            {
                return pos;
            }
            if (skipped == MaxLeadingEmptyLines)
            {
                throw new HttpParseException(HttpParseError.InvalidRequestLine, "too many empty lines before the request-line");
            }
            pos += 2;
        }
    }

    /// <summary>Index of the CR ending the line that starts at <paramref name="start"/>, or -1 if not seen yet.</summary>
    private static int FindLineEnd(ReadOnlySpan<byte> buffer, int start)
    {
        int i = buffer[start..].IndexOfAny(HttpChars.Cr, HttpChars.Lf);
        if (i < 0)
        {
            return -1;
        }
        i += start;
        if (buffer[i] == HttpChars.Lf)
        {
            // RFC 9112 §2.2 lets a recipient accept a bare LF; a proxy must not, or it and the backend may disagree.
            throw new HttpParseException(HttpParseError.BareLineFeed, HttpParseErrors.Escape(buffer[start..(i + 1)]));
        }
        if (i + 1 == buffer.Length)
        {
            return -1;
        }
        if (buffer[i + 1] != HttpChars.Lf)
        {
            throw new HttpParseException(HttpParseError.BareCarriageReturn, HttpParseErrors.Escape(buffer[start..(i + 2)]));
        }
        return i;
    }

    /// <summary>Index just past the blank line ending the field section at <paramref name="start"/>, or -1.</summary>
    private static int FindHeadEnd(ReadOnlySpan<byte> buffer, int start, in HttpLimits limits)
    {
        int pos = start;
        int fieldCount = 0;
        while (true)
        {
            int lineEnd = pos < buffer.Length ? FindLineEnd(buffer, pos) : -1;
            if (lineEnd < 0)
            {
                ThrowIfHeadTooLarge(buffer.Length, limits);
                return -1;
            }
            if (lineEnd == pos)
            {
                int end = pos + 2;
                ThrowIfHeadTooLarge(end - 1, limits);
                return end;
            }
            if (++fieldCount > limits.MaxHeaderCount)
            {
                throw new HttpParseException(HttpParseError.TooManyHeaders);
            }
            pos = lineEnd + 2;
        }
    }

    /// <summary>
    /// Throws if a head of at least <paramref name="length"/> + 1 bytes would exceed the limit: for an incomplete
    /// buffer that is its length (more bytes must follow), for a complete head its length minus one.
    /// </summary>
    private static void ThrowIfHeadTooLarge(int length, in HttpLimits limits)
    {
        if (length >= limits.MaxHeadBytes)
        {
            throw new HttpParseException(HttpParseError.HeadTooLarge);
        }
    }

    /// <summary>
    /// An over-long line whose method alone runs past the limit is a method no one implements (RFC 9110 §9.1: 501),
    /// not a long URI (414).
    /// </summary>
    private static HttpParseException RequestLineTooLong(ReadOnlySpan<byte> line, int limit)
    {
        int methodEnd = line.IndexOf(HttpChars.Sp);
        return methodEnd < 0 || methodEnd > limit
            ? new HttpParseException(HttpParseError.MethodTooLong, HttpParseErrors.Escape(line))
            : new HttpParseException(HttpParseError.RequestLineTooLong);
    }
}
