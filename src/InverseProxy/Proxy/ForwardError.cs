namespace InverseProxy.Proxy;

/// <summary>Where forwarding broke. <see cref="ForwardErrors.ToStatusCode"/> is the one place that maps it to a status.</summary>
internal enum ForwardError
{
    None,

    /// <summary>Every target tried refused the connection or could not be reached.</summary>
    ConnectFailed,

    /// <summary>Connecting to the target took longer than upstream_connect_timeout.</summary>
    ConnectTimeout,

    /// <summary>The target did not send a response head within upstream_read_timeout.</summary>
    ResponseTimeout,

    /// <summary>The request could not be written to the target.</summary>
    SendFailed,

    /// <summary>The target closed or reset the connection before a complete response head.</summary>
    TargetClosed,

    /// <summary>The target's response was not valid HTTP/1.1.</summary>
    BackendProtocolError,

    /// <summary>A chunked body too large to buffer, for a target that speaks HTTP/1.0 and cannot read chunked.</summary>
    LengthRequired,

    /// <summary>The client went away; nothing can be answered.</summary>
    ClientGone,
}

internal static class ForwardErrors
{
    /// <summary>The status a client gets for a forwarding failure; 0 means close without answering.</summary>
    public static int ToStatusCode(this ForwardError error) => error switch
    {
        ForwardError.None => 200,
        ForwardError.ConnectTimeout or ForwardError.ResponseTimeout => 504,
        ForwardError.ClientGone => 0,
        ForwardError.LengthRequired => 411,
        _ => 502,
    };

    /// <summary>A short text body naming the cause, for 502/504 answers.</summary>
    public static string Describe(this ForwardError error) => error switch
    {
        ForwardError.ConnectFailed => "no target accepted the connection",
        ForwardError.ConnectTimeout => "connecting to the target timed out",
        ForwardError.ResponseTimeout => "the target did not answer in time",
        ForwardError.SendFailed => "the request could not be sent to the target",
        ForwardError.TargetClosed => "the target closed the connection without answering",
        ForwardError.BackendProtocolError => "the target sent an invalid response",
        ForwardError.LengthRequired => "the target speaks HTTP/1.0 and the chunked body is too large to buffer; send a Content-Length",
        _ => error.ToString(),
    };
}
