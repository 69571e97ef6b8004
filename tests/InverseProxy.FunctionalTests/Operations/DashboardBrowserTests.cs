using InverseProxy.FunctionalTests.TestSupport;
using InverseProxy.Proxy.Policy;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InverseProxy.FunctionalTests.Operations;

/// <summary>The admin dashboard and its load test page in a real browser (headless chromium through Playwright).</summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private static readonly LocatorAssertionsToHaveTextOptions Patiently = new() { Timeout = 15_000 };

    private readonly ScriptedOrigin _origin = new(r => OriginResponse.Text("served " + r.Target, ("Cache-Control", "no-store")));
    private readonly int _adminPort = UnusedPort.Find();
    private ProxyInstance _proxy = null!;
    private HeadlessChromium _browser = null!;

    private string Dashboard => $"http://127.0.0.1:{_adminPort}/";

    public async Task InitializeAsync()
    {
        _proxy = ProxyInstance.Start(o =>
        {
            o.AdminPort = _adminPort;
            o.DenyPaths = ["/blocked/**"];
            o.RateLimit = new RateLimit(2, 'm');
        }, _origin.Port);
        _browser = await HeadlessChromium.LaunchAsync();
    }

    [Fact]
    public async Task Dashboard_Loads_NoConsoleErrorsAndAFaviconThatRenders()
    {
        var page = await _browser.OpenAsync(Dashboard);

        await Expect(page.Locator("#requests-total")).ToHaveTextAsync("0", Patiently);
        string icon = await page.Locator("link[rel=icon]").EvaluateAsync<string>("l => l.href");
        bool rendered = await page.EvaluateAsync<bool>(
            "href => new Promise(done => { const i = new Image(); i.onload = () => done(i.naturalWidth > 0); i.onerror = () => done(false); i.src = href; })", icon);
        var ico = await page.APIRequest.GetAsync($"http://127.0.0.1:{_adminPort}/favicon.ico");

        Assert.True(rendered, $"the favicon {icon} did not render");
        Assert.Equal(200, ico.Status);
        Assert.Empty(_browser.Problems);
    }

    [Fact]
    public async Task Dashboard_AfterTraffic_NumbersAndSiteTableChange()
    {
        var page = await _browser.OpenAsync(Dashboard);
        await Expect(page.Locator("#requests-total")).ToHaveTextAsync("0", Patiently);
        await Expect(page.Locator("#rate-limited")).ToHaveTextAsync("0", Patiently);
        await Expect(page.Locator("#filtered")).ToHaveTextAsync("0", Patiently);

        using (var client = new RawClient(_proxy.Port))
        {
            Assert.Equal(403, client.Exchange("GET /blocked/x HTTP/1.1\r\nHost: shop.test\r\n\r\n").Status());
            for (int i = 0; i < 4; i++)
            {
                client.Exchange("GET /a HTTP/1.1\r\nHost: shop.test\r\n\r\n");
            }
        }

        var site = _proxy.Server.Config.Sites.All.Single();
        await Expect(page.Locator("#requests-total")).ToHaveTextAsync("5", Patiently);
        await Expect(page.Locator("#filtered")).ToHaveTextAsync("1", Patiently);
        await Expect(page.Locator("#rate-limited")).ToHaveTextAsync(site.Counters.RateLimited.ToString(), Patiently);
        Assert.True(site.Counters.RateLimited >= 2);
        var cells = page.Locator("#sites tr").Nth(1).Locator("td");
        await Expect(cells.Nth(0)).ToHaveTextAsync(site.Name);
        await Expect(cells.Nth(1)).ToHaveTextAsync("5");
        await Expect(cells.Nth(6)).ToHaveTextAsync("1");
        await Expect(cells.Nth(7)).ToHaveTextAsync(site.Counters.RateLimited.ToString());
        Assert.Empty(_browser.Problems);
    }

    [Fact]
    public async Task LoadTestPage_StartedFromThePage_CompletesAndShowsItsResult()
    {
        var page = await _browser.OpenAsync(Dashboard);
        await page.GetByRole(AriaRole.Link, new() { Name = "Load test" }).ClickAsync();
        await Expect(page.Locator("#max-connections")).ToHaveTextAsync("at most 50", Patiently);

        await page.Locator("#path").FillAsync("/load");
        await page.Locator("#host").FillAsync("load.test");
        await page.Locator("#connections").FillAsync("2");
        await page.Locator("#duration").FillAsync("3");
        await page.Locator("#start").ClickAsync();

        await Expect(page.Locator("#progress")).ToHaveAttributeAsync("data-state", "finished", new() { Timeout = 15_000 });
        long requests = long.Parse(await page.Locator("#result-requests").TextContentAsync() ?? "");
        Assert.True(requests > 0);
        // rate_limit = 2/m: the first two reach the origin, the rest are answered 429 by the proxy.
        await Expect(page.Locator("#result-status-200")).ToHaveTextAsync("2");
        await Expect(page.Locator("#result-status-429")).ToHaveTextAsync((requests - 2).ToString());
        await Expect(page.Locator("#result-errors")).ToHaveTextAsync("0");
        await Expect(page.Locator("#result-p99")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d+)?$"));
        Assert.Equal(2, _origin.RequestCount);
        Assert.All(_origin.Requests, r => Assert.Equal("/load", r.Target));
        Assert.Empty(_browser.Problems);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _proxy.Dispose();
        _origin.Dispose();
    }
}
