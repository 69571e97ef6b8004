namespace InverseProxy.Http;

/// <summary>
/// Pure parser for request and response heads (RFC 9112 §2-§5). Never does I/O.
/// Returns false when the buffer holds no complete head yet (and no limit is exceeded);
/// throws <see cref="HttpParseException"/> for malformed or over-limit input.
/// </summary>
internal static class HttpHeadParser
{
    public static bool TryParseRequest(ReadOnlySpan<byte> buffer, in HttpLimits limits, out RequestHead? head, out int consumed)
    {
        throw new NotImplementedException();
    }

    public static bool TryParseResponse(ReadOnlySpan<byte> buffer, in HttpLimits limits, out ResponseHead? head, out int consumed)
    {
        throw new NotImplementedException();
    }
}
