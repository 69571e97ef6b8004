namespace InverseProxy.Http;

/// <summary>The HTTP versions spoken on either side. Anything else is answered 505.</summary>
internal enum HttpVersion
{
    Http10,
    Http11,
}

internal static class HttpVersionText
{
    public static string ToText(this HttpVersion version) => version == HttpVersion.Http10 ? "HTTP/1.0" : "HTTP/1.1";
}
