namespace InverseProxy.Http;

/// <summary>The chunk-size line: chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1, §7.1.1).</summary>
internal sealed partial class ChunkedDecoder
{
    /// <summary>chunk-size = 1*HEXDIG, at most <see cref="MaxChunkSizeDigits"/> of them, overflow refused.</summary>
    private void StepSize(byte b)
    {
        int digit = HttpChars.HexValue(b);
        if (digit >= 0)
        {
            if (++_sizeDigits > MaxChunkSizeDigits)
            {
                throw new HttpParseException(HttpParseError.BadChunkSize, "more than 16 hex digits");
            }
            try
            {
                _chunkSize = checked((_chunkSize * 16) + digit);
            }
            catch (OverflowException)
            {
                throw new HttpParseException(HttpParseError.BadChunkSize, "chunk size overflows");
            }
            return;
        }
        if (_sizeDigits == 0)
        {
            throw Error(b == HttpChars.Lf ? HttpParseError.BareLineFeed : HttpParseError.BadChunkSize, b);
        }
        if (b != HttpChars.Cr)
        {
            CountExtensionByte();
        }
        _state = b switch
        {
            HttpChars.Cr => State.SizeLf,
            (byte)';' => State.ExtensionNameStart,
            HttpChars.Sp or HttpChars.Htab => State.SizeWhitespace,
            HttpChars.Lf => throw Error(HttpParseError.BareLineFeed, b),
            _ => throw Error(HttpParseError.BadChunkSize, b),
        };
    }

    /// <summary>RFC 9112 §7.1.1: BWS is allowed only before the ";" of an extension, not before CRLF.</summary>
    private void StepSizeWhitespace(byte b)
    {
        CountExtensionByte();
        _state = b switch
        {
            HttpChars.Sp or HttpChars.Htab => State.SizeWhitespace,
            (byte)';' => State.ExtensionNameStart,
            _ => throw Error(HttpParseError.BadChunkSize, b),
        };
    }

    /// <summary>
    /// chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), name a token, value a token or a
    /// quoted-string (RFC 9112 §7.1.1). Extensions are checked and skipped, not interpreted: a recipient that
    /// skipped anything here would read the size line differently from one that parses it.
    /// </summary>
    private void StepExtension(byte b)
    {
        if (b == HttpChars.Lf)
        {
            throw Error(HttpParseError.BareLineFeed, b);
        }
        if (b == HttpChars.Cr && _state is State.ExtensionName or State.ExtensionToken or State.ExtensionAfterValue)
        {
            _state = State.SizeLf;
            return;
        }
        CountExtensionByte();
        bool space = HttpChars.IsWhitespace(b);
        bool token = HttpChars.IsTokenChar(b);
        _state = _state switch
        {
            State.ExtensionNameStart when space => State.ExtensionNameStart,
            State.ExtensionNameStart when token => State.ExtensionName,
            State.ExtensionName when token => State.ExtensionName,
            State.ExtensionName or State.ExtensionAfterName when space => State.ExtensionAfterName,
            State.ExtensionName or State.ExtensionAfterName when b == (byte)'=' => State.ExtensionValueStart,
            State.ExtensionName or State.ExtensionAfterName or State.ExtensionToken or State.ExtensionAfterValue
                when b == (byte)';' => State.ExtensionNameStart,
            State.ExtensionValueStart when space => State.ExtensionValueStart,
            State.ExtensionValueStart when b == (byte)'"' => State.ExtensionQuoted,
            State.ExtensionValueStart or State.ExtensionToken when token => State.ExtensionToken,
            State.ExtensionToken or State.ExtensionAfterValue when space => State.ExtensionAfterValue,
            State.ExtensionQuoted when b == (byte)'"' => State.ExtensionAfterValue,
            State.ExtensionQuoted when b == (byte)'\\' => State.ExtensionQuotedPair,
            State.ExtensionQuoted when IsQuotedText(b) => State.ExtensionQuoted,
            State.ExtensionQuotedPair when IsQuotedText(b) || b is (byte)'"' or (byte)'\\' => State.ExtensionQuoted,
            _ => throw Error(HttpParseError.BadChunkExtension, b),
        };
    }

    /// <summary>qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 9110 §5.6.4).</summary>
    private static bool IsQuotedText(byte b) =>
        b is HttpChars.Htab or HttpChars.Sp or 0x21 or (>= 0x23 and <= 0x5B) or (>= 0x5D and <= 0x7E) or >= 0x80;

    /// <summary>Every byte between the size digits and CR counts: BWS too, or a stream of spaces would be read forever.</summary>
    private void CountExtensionByte()
    {
        if (++_extensionBytes > MaxChunkExtensionBytes)
        {
            throw new HttpParseException(HttpParseError.ChunkExtensionTooLong);
        }
    }
}
