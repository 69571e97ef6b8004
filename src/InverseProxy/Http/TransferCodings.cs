namespace InverseProxy.Http;

/// <summary>What a Transfer-Encoding list says, across every field of that name (RFC 9112 §6.1).</summary>
internal readonly record struct TransferCodings(int ChunkedCount, bool FinalIsChunked, bool HasOtherCoding)
{
    /// <summary>Reads every Transfer-Encoding field; null when there is none.</summary>
    public static TransferCodings? Read(HttpHeaders headers)
    {
        bool present = false;
        int chunkedCount = 0;
        bool finalIsChunked = false;
        bool hasOther = false;
        foreach (var field in headers)
        {
            if (!string.Equals(field.Name, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            present = true;
            foreach (var element in new HttpListElements(field.Value))
            {
                // transfer-coding = token *( OWS ";" OWS transfer-parameter ): the name decides.
                int semicolon = element.IndexOf(';');
                var name = (semicolon < 0 ? element : element[..semicolon]).TrimEnd(" \t");
                finalIsChunked = name.Equals("chunked", StringComparison.OrdinalIgnoreCase);
                if (finalIsChunked)
                {
                    chunkedCount++;
                }
                else
                {
                    hasOther = true;
                }
            }
        }
        return present ? new TransferCodings(chunkedCount, finalIsChunked, hasOther) : null;
    }

    /// <summary>The Transfer-Encoding list without its chunked elements, or null when there is nothing else.</summary>
    public static string? OtherThanChunked(HttpHeaders headers)
    {
        string? list = headers.GetCombined("Transfer-Encoding");
        if (list is null)
        {
            return null;
        }
        var others = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(c => !c.Split(';')[0].Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        return others.Length == 0 ? null : string.Join(", ", others);
    }
}
