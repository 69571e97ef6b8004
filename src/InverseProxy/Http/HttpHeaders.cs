using System.Collections;

namespace InverseProxy.Http;

/// <summary>One header field as it appeared on the wire (name case kept, value trimmed of OWS).</summary>
internal readonly record struct HttpHeader(string Name, string Value);

/// <summary>
/// Ordered header fields. Names compare case-insensitively (RFC 9110 §5.1); order and duplicates are kept
/// because some fields (Set-Cookie, Via) must be forwarded exactly as received.
/// Not thread-safe: owned by the message it belongs to.
/// </summary>
internal sealed class HttpHeaders : IEnumerable<HttpHeader>
{
    private readonly List<HttpHeader> _fields;

    public HttpHeaders()
    {
        _fields = new List<HttpHeader>(16);
    }

    /// <summary>Room for <paramref name="capacity"/> fields before the list grows.</summary>
    public HttpHeaders(int capacity)
    {
        _fields = new List<HttpHeader>(capacity);
    }

    public HttpHeaders(IEnumerable<HttpHeader> fields)
    {
        _fields = new List<HttpHeader>(fields);
    }

    public int Count => _fields.Count;

    public HttpHeader this[int index] => _fields[index];

    public void Add(string name, string value) => _fields.Add(new HttpHeader(name, value));

    public bool Contains(string name) => IndexOf(name, 0) >= 0;

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? Get(string name)
    {
        int i = IndexOf(name, 0);
        return i < 0 ? null : _fields[i].Value;
    }

    /// <summary>Every value of <paramref name="name"/> joined with ", " (RFC 9110 §5.3), or null if absent.</summary>
    public string? GetCombined(string name)
    {
        string? result = null;
        foreach (var field in _fields)
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                result = result is null ? field.Value : result + ", " + field.Value;
            }
        }
        return result;
    }

    public int CountOf(string name)
    {
        int n = 0;
        foreach (var field in _fields)
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>Replaces every field named <paramref name="name"/> with one field.</summary>
    public void Set(string name, string value)
    {
        Remove(name);
        Add(name, value);
    }

    /// <summary>Removes every field named <paramref name="name"/>; returns how many were removed.</summary>
    public int Remove(string name)
    {
        // A plain loop: this runs several times per proxied request, and RemoveAll's predicate would allocate.
        int kept = 0;
        for (int i = 0; i < _fields.Count; i++)
        {
            if (!string.Equals(_fields[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                _fields[kept++] = _fields[i];
            }
        }
        int removed = _fields.Count - kept;
        if (removed > 0)
        {
            _fields.RemoveRange(kept, removed);
        }
        return removed;
    }

    public HttpHeaders Clone() => new(_fields);

    /// <summary>Puts <paramref name="field"/> at <paramref name="index"/>, which may be one past the end.</summary>
    internal void SetAt(int index, HttpHeader field)
    {
        if (index == _fields.Count)
        {
            _fields.Add(field);
        }
        else
        {
            _fields[index] = field;
        }
    }

    /// <summary>Drops every field from <paramref name="count"/> on.</summary>
    internal void Truncate(int count)
    {
        if (count < _fields.Count)
        {
            _fields.RemoveRange(count, _fields.Count - count);
        }
    }

    public List<HttpHeader>.Enumerator GetEnumerator() => _fields.GetEnumerator();

    IEnumerator<HttpHeader> IEnumerable<HttpHeader>.GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _fields.GetEnumerator();

    private int IndexOf(string name, int start)
    {
        for (int i = start; i < _fields.Count; i++)
        {
            if (string.Equals(_fields[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }
}
