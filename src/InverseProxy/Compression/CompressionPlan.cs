using InverseProxy.Http;

namespace InverseProxy.Compression;

/// <summary>
/// What the proxy does to one response it negotiates the coding of: the <see cref="Coding"/> the client gets
/// (identity when it accepts neither br nor gzip) and the <see cref="Head"/> to send and store, a new head with the
/// target's fields edited (see <see cref="CodingFields.Apply"/>). The target's head is left as it came.
/// </summary>
internal sealed class CompressionPlan
{
    public CompressionPlan(ContentCoding coding, ResponseHead head)
    {
        Coding = coding;
        Head = head;
    }

    public ContentCoding Coding { get; }

    public ResponseHead Head { get; }

    /// <summary>True when the body is encoded on the way; false when only fields change (Vary).</summary>
    public bool Encodes => Coding != ContentCoding.Identity;
}
