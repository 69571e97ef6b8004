namespace InverseProxy.Http;

/// <summary>Decides body framing once, for requests and responses alike (RFC 9112 §6.1-§6.3).</summary>
/// <remarks>
/// Every ambiguity a front end and a back end could read differently is refused here, never guessed:
/// that disagreement is what request smuggling exploits.
/// </remarks>
internal static class BodyFramingRules
{
    private const int MaxContentLengthDigits = 19;

    public static BodyFraming ForRequest(RequestHead head)
    {
        var codings = TransferCodings.Read(head.Headers);
        if (codings is null)
        {
            long? length = ReadContentLength(head.Headers);
            return length is null ? BodyFraming.None : BodyFraming.Fixed(length.Value);
        }
        // RFC 9112 §6.1: a sender must not send both; a server may reject such a request, and a proxy must,
        // because the next hop might honour the other one.
        if (head.Headers.Contains("Content-Length"))
        {
            throw new HttpParseException(HttpParseError.ContentLengthWithTransferEncoding);
        }
        ThrowIfHttp10(head.Version);
        if (codings.Value.ChunkedCount > 1)
        {
            throw new HttpParseException(HttpParseError.ChunkedAppliedTwice);
        }
        // RFC 9112 §6.3 item 4: a request whose final coding is not chunked cannot be delimited: 400.
        if (!codings.Value.FinalIsChunked)
        {
            throw new HttpParseException(HttpParseError.ChunkedNotFinal, HttpParseErrors.Escape(head.Headers.GetCombined("Transfer-Encoding")));
        }
        // RFC 9112 §6.1: an unknown transfer coding in a request is answered 501; we decode none but chunked.
        if (codings.Value.HasOtherCoding)
        {
            throw new HttpParseException(HttpParseError.UnknownTransferCoding, HttpParseErrors.Escape(head.Headers.GetCombined("Transfer-Encoding")));
        }
        return BodyFraming.Chunked;
    }

    public static BodyFraming ForResponse(string requestMethod, ResponseHead head)
    {
        int status = head.StatusCode;
        // RFC 9112 §6.3 items 1-2: these never carry content, whatever their headers say.
        if (requestMethod == "HEAD" || status < 200 || status == 204 || status == 304)
        {
            return BodyFraming.None;
        }
        if (requestMethod == "CONNECT" && status < 300)
        {
            return BodyFraming.None;
        }
        var codings = TransferCodings.Read(head.Headers);
        if (codings is not null)
        {
            ThrowIfHttp10(head.Version);
            if (codings.Value.ChunkedCount > 1)
            {
                throw new HttpParseException(HttpParseError.ChunkedAppliedTwice);
            }
            // RFC 9112 §6.3 item 3: Transfer-Encoding overrides any Content-Length; a final coding other
            // than chunked means the body runs until the connection closes.
            return codings.Value.FinalIsChunked ? BodyFraming.Chunked : BodyFraming.CloseDelimited;
        }
        long? length = ReadContentLength(head.Headers);
        return length is null ? BodyFraming.CloseDelimited : BodyFraming.Fixed(length.Value);
    }

    /// <summary>
    /// RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing. Reported as
    /// <see cref="HttpParseError.ChunkedNotFinal"/>: HTTP/1.0 has no chunked coding, so none can be final.
    /// </summary>
    private static void ThrowIfHttp10(HttpVersion version)
    {
        if (version == HttpVersion.Http10)
        {
            throw new HttpParseException(HttpParseError.ChunkedNotFinal, "Transfer-Encoding in an HTTP/1.0 message");
        }
    }

    /// <summary>
    /// Content-Length = 1*DIGIT (RFC 9110 §8.6). Repeated fields or list elements are accepted only when all
    /// are equal; anything but digits (sign, inner space, hex) is invalid.
    /// </summary>
    private static long? ReadContentLength(HttpHeaders headers)
    {
        long? result = null;
        foreach (var field in headers)
        {
            if (!string.Equals(field.Name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            bool any = false;
            foreach (var element in new HttpListElements(field.Value))
            {
                any = true;
                long value = ParseDigits(element, field.Value);
                if (result is not null && result.Value != value)
                {
                    throw new HttpParseException(HttpParseError.MultipleContentLengths, HttpParseErrors.Escape(field.Value));
                }
                result = value;
            }
            if (!any)
            {
                throw new HttpParseException(HttpParseError.InvalidContentLength, "empty");
            }
        }
        return result;
    }

    private static long ParseDigits(ReadOnlySpan<char> text, string fieldValue)
    {
        if (text.Length > MaxContentLengthDigits || text.ContainsAnyExceptInRange('0', '9'))
        {
            throw new HttpParseException(HttpParseError.InvalidContentLength, HttpParseErrors.Escape(fieldValue));
        }
        long value = 0;
        try
        {
            foreach (char c in text)
            {
                value = checked((value * 10) + (c - '0'));
            }
        }
        catch (OverflowException)
        {
            throw new HttpParseException(HttpParseError.InvalidContentLength, HttpParseErrors.Escape(fieldValue));
        }
        return value;
    }
}
