namespace InverseProxy.Http;

internal sealed partial class ChunkedDecoder
{
    // Allocated only when a trailer field actually arrives; most chunked bodies end with "0\r\n\r\n".
    private byte[]? _lineBuffer;
    private int _lineLength;
    private int _trailerBytes;
    private HttpHeaders? _trailerFields;

    /// <summary>trailer-section = *( field-line CRLF ), ended by CRLF (RFC 9112 §7.1.2); fields parse like headers.</summary>
    private void StepTrailer(byte b)
    {
        if (++_trailerBytes > _maxTrailerBytes)
        {
            throw new HttpParseException(HttpParseError.TrailersTooLarge);
        }
        switch (_state)
        {
            case State.TrailerLineStart when b == HttpChars.Cr:
                _state = State.TrailerEndLf;
                break;
            case State.TrailerLineStart or State.TrailerLine when b == HttpChars.Lf:
                throw Error(HttpParseError.BareLineFeed, b);
            case State.TrailerLine when b == HttpChars.Cr:
                _state = State.TrailerLineLf;
                break;
            case State.TrailerLineStart or State.TrailerLine:
                AppendToLine(b);
                _state = State.TrailerLine;
                break;
            case State.TrailerLineLf:
                ExpectLf(b, HttpParseError.BareCarriageReturn);
                AddTrailerField();
                _state = State.TrailerLineStart;
                break;
            case State.TrailerEndLf:
                ExpectLf(b, HttpParseError.BareCarriageReturn);
                Trailers = _trailerFields ?? new HttpHeaders([]);
                _state = State.Done;
                break;
        }
    }

    private void AppendToLine(byte b)
    {
        if (_lineBuffer is null || _lineLength == _lineBuffer.Length)
        {
            // The whole section is capped by _maxTrailerBytes, so doubling up to it bounds the buffer too.
            int size = Math.Min(_maxTrailerBytes, Math.Max(256, (_lineBuffer?.Length ?? 0) * 2));
            Array.Resize(ref _lineBuffer, size);
        }
        _lineBuffer[_lineLength++] = b;
    }

    private void AddTrailerField()
    {
        _trailerFields ??= new HttpHeaders();
        if (_trailerFields.Count == _maxHeaderCount)
        {
            throw new HttpParseException(HttpParseError.TooManyHeaders, "too many trailer fields");
        }
        HttpHeader field = HttpHeadParser.ParseField(_lineBuffer.AsSpan(0, _lineLength));
        _trailerFields.Add(field.Name, field.Value);
        _lineLength = 0;
    }

    private void ResetTrailerSection()
    {
        _lineLength = 0;
        _trailerBytes = 0;
        _trailerFields = null;
    }
}
