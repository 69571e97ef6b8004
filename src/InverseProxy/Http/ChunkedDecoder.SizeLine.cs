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
            (byte)';' => State.Extension,
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
            (byte)';' => State.Extension,
            _ => throw Error(HttpParseError.BadChunkSize, b),
        };
    }

    /// <summary>Extensions are skipped, not interpreted; their bytes are bounded and must not hold CTLs.</summary>
    private void StepExtension(byte b)
    {
        if (b == HttpChars.Cr)
        {
            _state = State.SizeLf;
            return;
        }
        if (b == HttpChars.Lf)
        {
            throw Error(HttpParseError.BareLineFeed, b);
        }
        if ((b < 0x20 && b != HttpChars.Htab) || b == 0x7F)
        {
            throw Error(HttpParseError.BadChunkSize, b);
        }
        CountExtensionByte();
    }

    /// <summary>Every byte between the size digits and CR counts: BWS too, or a stream of spaces would be read forever.</summary>
    private void CountExtensionByte()
    {
        if (++_extensionBytes > MaxChunkExtensionBytes)
        {
            throw new HttpParseException(HttpParseError.ChunkExtensionTooLong);
        }
    }
}
