namespace InverseProxy.Http;

/// <summary>How a message body is delimited (RFC 9112 §6.3).</summary>
internal enum BodyKind
{
    /// <summary>No body at all (requests without framing headers; HEAD, 1xx, 204, 304 responses).</summary>
    None,

    /// <summary>Exactly <see cref="BodyFraming.Length"/> bytes.</summary>
    ContentLength,

    /// <summary>Chunked transfer coding, ended by the last chunk and trailer section.</summary>
    Chunked,

    /// <summary>Response body read until the connection closes.</summary>
    CloseDelimited,
}

internal readonly record struct BodyFraming(BodyKind Kind, long Length)
{
    public static BodyFraming None { get; } = new(BodyKind.None, 0);

    public static BodyFraming Chunked { get; } = new(BodyKind.Chunked, -1);

    public static BodyFraming CloseDelimited { get; } = new(BodyKind.CloseDelimited, -1);

    public static BodyFraming Fixed(long length) => length == 0 ? None : new(BodyKind.ContentLength, length);
}
