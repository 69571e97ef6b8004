namespace InverseProxy.Http;

/// <summary>Why a message was refused. <see cref="HttpParseErrors.ToStatusCode"/> is the one place mapping these to statuses.</summary>
internal enum HttpParseError
{
    RequestLineTooLong,
    HeadTooLarge,
    TooManyHeaders,
    InvalidRequestLine,
    InvalidMethod,
    MethodTooLong,
    InvalidRequestTarget,
    UnsupportedVersion,
    InvalidStatusLine,
    InvalidHeaderName,
    InvalidHeaderValue,
    ObsoleteLineFolding,
    BareLineFeed,
    BareCarriageReturn,
    MissingHost,
    MultipleHosts,
    InvalidHost,
    MultipleContentLengths,
    InvalidContentLength,
    ContentLengthWithTransferEncoding,
    UnknownTransferCoding,
    ChunkedNotFinal,
    ChunkedAppliedTwice,
    BadChunkSize,
    BadChunkExtension,
    BadChunkTerminator,
    ChunkExtensionTooLong,
    TrailersTooLarge,
    BodyTooLarge,
    UnexpectedEndOfBody,
    BodyTooSlow,
}

/// <summary>A malformed or over-limit message. <see cref="Detail"/> has control bytes escaped.</summary>
internal sealed class HttpParseException : Exception
{
    public HttpParseException(HttpParseError error, string? detail = null)
        : base(detail is null ? error.ToString() : error + ": " + detail)
    {
        Error = error;
        Detail = detail;
    }

    public HttpParseError Error { get; }

    public string? Detail { get; }
}
