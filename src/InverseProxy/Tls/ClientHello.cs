using System.Buffers.Binary;
using System.Text;

namespace InverseProxy.Tls;

/// <summary>What <see cref="ClientHello.TryReadServerName"/> made of the bytes so far.</summary>
internal enum ClientHelloRead
{
    /// <summary>A whole ClientHello: its server name, or none, is known.</summary>
    Done,

    /// <summary>The first record is not complete yet.</summary>
    NeedMore,

    /// <summary>Not a TLS handshake record, or a ClientHello that does not parse: the handshake will refuse it.</summary>
    NotAClientHello,
}

/// <summary>
/// Reads the server name (SNI, RFC 6066 §3) from the first record of a TLS connection, so the certificate is chosen
/// before the handshake starts and the handshake can then run synchronously on the connection's thread. Pure: no I/O.
/// The ClientHello is taken from the first record only (RFC 8446 §5.1 lets it span records; clients keep it in one,
/// and one that does not is served the top-level certificate).
/// </summary>
internal static class ClientHello
{
    /// <summary>A record header and the largest record (RFC 8446 §5.1): more is never needed.</summary>
    public const int MaxBytes = 5 + 16 * 1024;

    private const byte HandshakeRecord = 22;
    private const byte ClientHelloType = 1;
    private const ushort ServerNameExtension = 0;
    private const byte HostNameType = 0;

    public static ClientHelloRead TryReadServerName(ReadOnlySpan<byte> bytes, out string? serverName)
    {
        serverName = null;
        if (bytes.Length < 5)
        {
            return bytes.Length > 0 && bytes[0] != HandshakeRecord ? ClientHelloRead.NotAClientHello : ClientHelloRead.NeedMore;
        }
        if (bytes[0] != HandshakeRecord || bytes[1] != 3)
        {
            return ClientHelloRead.NotAClientHello;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[3..]);
        if (bytes.Length < 5 + length)
        {
            return ClientHelloRead.NeedMore;
        }
        var reader = new Reader(bytes.Slice(5, length));
        if (!reader.Byte(out byte type) || type != ClientHelloType || !reader.Skip(3) // handshake length
            || !reader.Skip(2 + 32) // legacy_version, random
            || !reader.SkipVector(1) || !reader.SkipVector(2) || !reader.SkipVector(1) // session id, suites, compression
            || !reader.Vector(2, out var extensions))
        {
            // A ClientHello without extensions has no server name; anything shorter does not parse.
            return reader.AtEnd && type == ClientHelloType ? ClientHelloRead.Done : ClientHelloRead.NotAClientHello;
        }
        var list = new Reader(extensions);
        while (!list.AtEnd)
        {
            if (!list.UInt16(out ushort extension) || !list.Vector(2, out var body))
            {
                return ClientHelloRead.NotAClientHello;
            }
            if (extension == ServerNameExtension)
            {
                serverName = HostName(body);
                return ClientHelloRead.Done;
            }
        }
        return ClientHelloRead.Done;
    }

    /// <summary>The host_name entry of a server_name extension; null when it has none or it is not a plain ASCII name.</summary>
    private static string? HostName(ReadOnlySpan<byte> extension)
    {
        var outer = new Reader(extension);
        if (!outer.Vector(2, out var names))
        {
            return null;
        }
        var list = new Reader(names);
        while (!list.AtEnd)
        {
            if (!list.Byte(out byte type) || !list.Vector(2, out var name))
            {
                return null;
            }
            if (type == HostNameType)
            {
                foreach (byte b in name)
                {
                    if (b is <= (byte)' ' or >= 0x7f)
                    {
                        return null;
                    }
                }
                return name.IsEmpty ? null : Encoding.ASCII.GetString(name);
            }
        }
        return null;
    }

    /// <summary>Bounds-checked reads of TLS's big-endian fields and length-prefixed vectors (RFC 8446 §3.4).</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool Byte(out byte value)
        {
            value = 0;
            if (_rest.IsEmpty)
            {
                return false;
            }
            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool UInt16(out ushort value)
        {
            value = 0;
            if (_rest.Length < 2)
            {
                return false;
            }
            value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            _rest = _rest[2..];
            return true;
        }

        public bool Skip(int count)
        {
            if (_rest.Length < count)
            {
                return false;
            }
            _rest = _rest[count..];
            return true;
        }

        public bool SkipVector(int lengthBytes) => Vector(lengthBytes, out _);

        public bool Vector(int lengthBytes, out ReadOnlySpan<byte> body)
        {
            body = default;
            if (_rest.Length < lengthBytes)
            {
                return false;
            }
            int length = lengthBytes == 1 ? _rest[0] : BinaryPrimitives.ReadUInt16BigEndian(_rest);
            if (_rest.Length < lengthBytes + length)
            {
                return false;
            }
            body = _rest.Slice(lengthBytes, length);
            _rest = _rest[(lengthBytes + length)..];
            return true;
        }
    }
}
