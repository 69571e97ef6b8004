using InverseProxy.Proxy;

namespace InverseProxy.Tests.Proxy;

public sealed class ForwardErrorsTests
{
    [Theory]
    [InlineData("ConnectTimeout", 504)]
    [InlineData("ResponseTimeout", 504)]
    [InlineData("ClientGone", 0)]
    [InlineData("ConnectFailed", 502)]
    [InlineData("SendFailed", 502)]
    [InlineData("TargetClosed", 502)]
    [InlineData("BackendProtocolError", 502)]
    public void ToStatusCode_Error_MapsToItsStatus(string error, int expected)
    {
        Assert.Equal(expected, Enum.Parse<ForwardError>(error).ToStatusCode());
    }

    [Fact]
    public void ToStatusCode_EveryFailure_IsAGatewayErrorOrClose()
    {
        foreach (var error in Enum.GetValues<ForwardError>().Where(e => e is not (ForwardError.None or ForwardError.LengthRequired)))
        {
            Assert.Contains(error.ToStatusCode(), new[] { 0, 502, 504 });
        }
    }

    [Fact]
    public void ToStatusCode_LengthRequired_Is411()
    {
        // The one failure that is the request's own: its chunked body cannot reach an HTTP/1.0 target.
        Assert.Equal(411, ForwardError.LengthRequired.ToStatusCode());
    }

    [Fact]
    public void Describe_EveryAnsweredFailure_HasAReadableText()
    {
        foreach (var error in Enum.GetValues<ForwardError>().Where(e => e.ToStatusCode() is 411 or 502 or 504))
        {
            string text = error.Describe();
            Assert.Contains(' ', text);
            Assert.NotEqual(error.ToString(), text);
        }
    }
}
