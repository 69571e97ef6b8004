namespace InverseProxy.Http;

/// <summary>Decides body framing once, for requests and responses alike (RFC 9112 §6.1-§6.3).</summary>
internal static class BodyFramingRules
{
    public static BodyFraming ForRequest(RequestHead head)
    {
        throw new NotImplementedException();
    }

    public static BodyFraming ForResponse(string requestMethod, ResponseHead head)
    {
        throw new NotImplementedException();
    }
}
