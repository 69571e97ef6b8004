using System.Text;

namespace InverseProxy.Http;

internal static partial class HttpHeadParser
{
    private const int VersionLength = 8;

    /// <summary>request-line = method SP request-target SP HTTP-version (RFC 9112 §3), single SPs only.</summary>
    /// <param name="previousTarget">The same connection's previous target: returned again when the bytes match.</param>
    private static (string Method, string Target, HttpVersion Version) ParseRequestLine(ReadOnlySpan<byte> line, string? previousTarget)
    {
        int firstSp = line.IndexOf(HttpChars.Sp);
        int lastSp = line.LastIndexOf(HttpChars.Sp);
        if (firstSp <= 0 || lastSp == firstSp)
        {
            throw new HttpParseException(HttpParseError.InvalidRequestLine, HttpParseErrors.Escape(line));
        }
        ReadOnlySpan<byte> method = line[..firstSp];
        ReadOnlySpan<byte> target = line[(firstSp + 1)..lastSp];
        if (!HttpChars.IsToken(method))
        {
            throw new HttpParseException(HttpParseError.InvalidMethod, HttpParseErrors.Escape(method));
        }
        if (target.IsEmpty || target[0] == HttpChars.Sp || target[^1] == HttpChars.Sp)
        {
            throw new HttpParseException(HttpParseError.InvalidRequestLine, HttpParseErrors.Escape(line));
        }
        HttpVersion version = ParseVersion(line[(lastSp + 1)..], HttpParseError.InvalidRequestLine);
        string methodText = KnownStrings.Method(method);
        ValidateTarget(methodText, target);
        return (methodText, HttpChars.SameText(previousTarget, target) ? previousTarget! : RecentStrings.Get(target), version);
    }

    /// <summary>HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3); only 1.0 and 1.1 are spoken.</summary>
    private static HttpVersion ParseVersion(ReadOnlySpan<byte> text, HttpParseError malformed)
    {
        if (text.SequenceEqual("HTTP/1.1"u8))
        {
            return HttpVersion.Http11;
        }
        if (text.SequenceEqual("HTTP/1.0"u8))
        {
            return HttpVersion.Http10;
        }
        if (text.Length == VersionLength && text.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)text[5])
            && text[6] == (byte)'.' && char.IsAsciiDigit((char)text[7]))
        {
            throw new HttpParseException(HttpParseError.UnsupportedVersion, HttpParseErrors.Escape(text));
        }
        throw new HttpParseException(malformed, HttpParseErrors.Escape(text));
    }

    /// <summary>
    /// RFC 9112 §3.2: origin-form for most requests, absolute-form (http/https only: nothing else can be
    /// forwarded), authority-form only with CONNECT, asterisk-form only with OPTIONS.
    /// </summary>
    private static void ValidateTarget(string method, ReadOnlySpan<byte> target)
    {
        bool connect = method == "CONNECT";
        bool valid = HttpChars.IsValidTargetBytes(target) && (connect
            ? IsAuthorityForm(target)
            : target[0] == (byte)'/' || IsAbsoluteForm(target) || (method == "OPTIONS" && target.SequenceEqual("*"u8)));
        if (!valid)
        {
            throw new HttpParseException(HttpParseError.InvalidRequestTarget, HttpParseErrors.Escape(target));
        }
    }

    private static bool IsAbsoluteForm(ReadOnlySpan<byte> target)
    {
        int schemeEnd = target.IndexOf("://"u8);
        if (schemeEnd < 0 || schemeEnd + 3 == target.Length)
        {
            return false;
        }
        ReadOnlySpan<byte> scheme = target[..schemeEnd];
        return Ascii.EqualsIgnoreCase(scheme, "http"u8) || Ascii.EqualsIgnoreCase(scheme, "https"u8);
    }

    /// <summary>authority-form = uri-host ":" port (RFC 9112 §3.2.3).</summary>
    private static bool IsAuthorityForm(ReadOnlySpan<byte> target)
    {
        int colon = target.LastIndexOf((byte)':');
        if (colon <= 0 || colon == target.Length - 1)
        {
            return false;
        }
        ReadOnlySpan<byte> port = target[(colon + 1)..];
        ReadOnlySpan<byte> host = target[..colon];
        return port.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 && port.Length <= 5 && host.IndexOfAny("/?#@"u8) < 0;
    }

    /// <summary>status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); a missing last SP is tolerated.</summary>
    private static (HttpVersion Version, int Status, string Reason) ParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < VersionLength + 4 || line[VersionLength] != HttpChars.Sp)
        {
            throw new HttpParseException(HttpParseError.InvalidStatusLine, HttpParseErrors.Escape(line));
        }
        HttpVersion version = ParseVersion(line[..VersionLength], HttpParseError.InvalidStatusLine);
        ReadOnlySpan<byte> code = line.Slice(VersionLength + 1, 3);
        if (code.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || code[0] == (byte)'0'
            || (line.Length > VersionLength + 4 && line[VersionLength + 4] != HttpChars.Sp))
        {
            throw new HttpParseException(HttpParseError.InvalidStatusLine, HttpParseErrors.Escape(line));
        }
        int status = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
        ReadOnlySpan<byte> reason = line.Length > VersionLength + 5 ? line[(VersionLength + 5)..] : default;
        if (!HttpChars.IsValidFieldValue(reason))
        {
            throw new HttpParseException(HttpParseError.InvalidStatusLine, HttpParseErrors.Escape(line));
        }
        string known = HttpParseErrors.ReasonPhrase(status);
        string reasonText = Ascii.Equals(reason, known) ? known : Encoding.Latin1.GetString(reason);
        return (version, status, reasonText);
    }
}
