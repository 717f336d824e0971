using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Cognito.AspNet;
using Microsoft.AspNetCore.Http;

namespace Cognito.Conformance.AspNet;

/// <summary>
/// <see cref="CognitoCookiesEvents"/> on a real server, one test per event: what each sees, what it may
/// change, and that a change never opens a hole (a return URL stays local, a refusal is anonymous).
/// </summary>
public sealed class EventsTests
{
    private const string Prefix = "CognitoIdentityServiceProvider." + Cognito.AspNet.Development.DevelopmentUserPool.ClientId;

    [Fact]
    public async Task OnSessionValidated_sees_the_session_and_may_add_claims_or_refuse()
    {
        var seen = new List<(string? Username, bool HasSession)>();
        await using var server = await DemoServer.StartAsync(o => o.Events.OnSessionValidated = context =>
        {
            seen.Add((context.Session?.Username, context.Session is not null));
            if (context.Session?.Username == "blocked")
            {
                context.Refuse("this user is blocked in the app");
            }

            context.Principal.AddIdentity(new ClaimsIdentity([new Claim("tenant", "acme")]));
            return Task.CompletedTask;
        });
        using var allowed = server.NewClient();
        await allowed.SignInAsync("allowed");
        Assert.Equal("allowed", DemoServer.Client.Welcome(await allowed.PageAsync("/")));
        Assert.Contains(("allowed", true), seen);

        using var blocked = server.NewClient();
        await blocked.SignInAsync("blocked");
        Assert.Equal("anonymous", DemoServer.Client.Welcome(await blocked.PageAsync("/")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await blocked.GetAsync("/api/me", follow: false)).StatusCode);
        Assert.Contains(server.Logs.Lines, l => l.Event.Name == "SessionRefusedByApp" && l.Message.Contains("this user is blocked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnSessionRefused_gets_the_code_of_a_tampered_session()
    {
        var codes = new List<string>();
        await using var server = await DemoServer.StartAsync(o => o.Events.OnSessionRefused = context =>
        {
            codes.Add(context.Error.Code);
            return Task.CompletedTask;
        });
        using var browser = server.NewClient();
        await browser.SignInAsync("jane");
        var idToken = browser.Cookies.GetCookies(server.BaseAddress)[$"{Prefix}.jane.idToken"]!;
        idToken.Value = idToken.Value[..^6] + "AAAAAA";
        Assert.Equal("anonymous", DemoServer.Client.Welcome(await browser.PageAsync("/")));
        Assert.Equal(["bad-signature"], codes.Distinct());

        // A request without any Amplify cookie is not a refusal worth an event.
        codes.Clear();
        using var stranger = server.NewClient();
        await stranger.PageAsync("/");
        Assert.Empty(codes);
    }

    [Fact]
    public async Task OnChallenge_sees_why_the_request_is_anonymous_and_may_write_its_own_answer()
    {
        // Issue 25, item 2: Challenge and Forbidden events, as JwtBearer has.
        var seen = new List<(string? Code, bool Api)>();
        async Task<bool> Answer(HttpContext context, AuthError? error, bool api)
        {
            seen.Add((error?.Code, api));
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                return false;
            }

            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"signIn\":\"/auth/login\"}");
            return true;
        }

        await using var server = await DemoServer.StartAsync(
            o => o.Events.OnChallenge = async context =>
            {
                if (await Answer(context.HttpContext, context.Error, context.IsApiRequest))
                {
                    context.HandleResponse();
                }
            },
            bearer: o => o.Events.OnChallenge = async context =>
            {
                if (await Answer(context.HttpContext, context.Error, api: true))
                {
                    context.HandleResponse();
                }
            });

        // A page, no session: the scheme's own answer (the redirect to sign-in), the event told no refusal.
        using var stranger = server.NewClient();
        var page = await stranger.GetAsync("/admin", follow: false);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/auth/login?returnUrl=", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal([(null, false)], seen);

        // An API request with a tampered session: the app's answer, and why.
        seen.Clear();
        using var browser = server.NewClient();
        await browser.SignInAsync("jane");
        var idToken = browser.Cookies.GetCookies(server.BaseAddress)[$"{Prefix}.jane.idToken"]!;
        idToken.Value = idToken.Value[..^6] + "AAAAAA";
        var api = await browser.GetAsync("/api/me", follow: false);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("{\"signIn\":\"/auth/login\"}", await api.Content.ReadAsStringAsync());
        Assert.Equal([("bad-signature", true)], seen);

        // A bearer call with a token that is no token: the bearer scheme raises its own challenge event, with the code.
        seen.Clear();
        var bearer = await server.SendAsync(HttpMethod.Get, "/api/me", null, ("Authorization", "Bearer not.a.token"));
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.Equal("{\"signIn\":\"/auth/login\"}", await bearer.Content.ReadAsStringAsync());
        Assert.Equal("malformed", Assert.Single(seen).Code);
        Assert.True(seen[0].Api);
    }

    [Fact]
    public async Task OnForbidden_may_answer_for_a_signed_in_user_without_the_group()
    {
        var forbidden = 0;
        await using var server = await DemoServer.StartAsync(
            o => o.Events.OnForbidden = async context =>
            {
                forbidden++;
                if (!context.IsApiRequest)
                {
                    context.Response.StatusCode = 403;
                    context.Response.ContentType = "text/plain";
                    await context.Response.WriteAsync("ask an admin for access");
                    context.HandleResponse();
                }
            },
            bearer: o => o.Events.OnForbidden = _ =>
            {
                forbidden++; // not handled: the scheme's own answer
                return Task.CompletedTask;
            });
        using var reader = server.NewClient();
        await reader.SignInAsync("bob");
        var page = await reader.GetAsync("/admin", follow: false);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("ask an admin for access", await page.Content.ReadAsStringAsync());
        Assert.Equal(1, forbidden);

        // The bearer scheme raises its own OnForbidden (not handled above), so its own 403 with insufficient_scope.
        var access = reader.Cookies.GetCookies(server.BaseAddress)[$"{Prefix}.bob.accessToken"]!.Value;
        var bearer = await server.SendAsync(HttpMethod.Get, "/admin", null, ("Authorization", $"Bearer {access}"));
        Assert.Equal(HttpStatusCode.Forbidden, bearer.StatusCode);
        Assert.Contains("insufficient_scope", bearer.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, forbidden);

        using var admin = server.NewClient();
        await admin.SignInAsync("alice", "admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin", follow: false)).StatusCode);
        Assert.Equal(2, forbidden);
    }

    [Fact]
    public async Task OnRefreshed_sees_the_old_and_the_new_session_of_the_same_user()
    {
        var refreshes = new List<(AuthTokens Previous, AuthTokens Session)>();
        await using var server = await DemoServer.StartAsync(o => o.Events.OnRefreshed = context =>
        {
            refreshes.Add((context.Previous, context.Session));
            return Task.CompletedTask;
        });
        using var browser = server.NewClient();
        await browser.SignInAsync("jane");
        server.Clock.Now += TimeSpan.FromHours(2);
        Assert.Equal("jane", DemoServer.Client.Welcome(await browser.PageAsync("/")));
        var (previous, session) = Assert.Single(refreshes);
        Assert.Equal(previous.Sub, session.Sub);
        Assert.True(session.ExpiresAt > previous.ExpiresAt);
    }

    [Fact]
    public async Task OnSigningIn_may_change_the_return_url_but_never_to_another_site()
    {
        var target = "/users/welcome";
        await using var server = await DemoServer.StartAsync(o => o.Events.OnSigningIn = context =>
        {
            Assert.Equal("/admin", context.ReturnUrl);
            Assert.NotNull(context.Session.RefreshToken);
            context.ReturnUrl = target;
            return Task.CompletedTask;
        });
        using var browser = server.NewClient();
        var callback = await browser.SignInAsync("jane", returnUrl: "/admin");
        Assert.Equal("/users/welcome", callback.Headers.Location!.OriginalString);

        target = "https://evil.example/";
        using var second = server.NewClient();
        Assert.Equal("/", (await second.SignInAsync("john", returnUrl: "/admin")).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task OnSigningOut_sees_the_session_being_ended()
    {
        var ended = new List<string?>();
        await using var server = await DemoServer.StartAsync(o => o.Events.OnSigningOut = context =>
        {
            ended.Add(context.Session?.Username);
            return Task.CompletedTask;
        });
        using var browser = server.NewClient();
        await browser.SignInAsync("jane");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/auth/logout", [], follow: false)).StatusCode);
        Assert.Equal(["jane"], ended);
    }

    [Fact]
    public async Task The_bearer_scheme_raises_its_own_events_and_not_the_cookie_schemes()
    {
        // Issue 25, item 2: the bearer scheme has its own options and events (CognitoBearerEvents).
        var pool = TestPool.Default;
        var validated = new List<string>();
        var refused = new List<string>();
        var cookieEvents = 0;
        await using var server = await DemoServer.StartOnPoolAsync(
            pool,
            options =>
            {
                options.FollowKeyRotation = false;
                options.Events.OnSessionValidated = _ => Task.FromResult(cookieEvents++);
                options.Events.OnSessionRefused = _ => Task.FromResult(cookieEvents++);
            },
            bearer: options =>
            {
                options.Events.OnTokenValidated = context =>
                {
                    validated.Add(context.AccessToken.Sub);
                    return Task.CompletedTask;
                };
                options.Events.OnTokenRefused = context =>
                {
                    refused.Add(context.Error.Code);
                    return Task.CompletedTask;
                };
            });
        var me = await server.SendAsync(HttpMethod.Get, "/api/me", null, ("Authorization", "Bearer " + pool.AccessToken("jane.doe")));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("jane.doe", JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement.GetProperty("username").GetString());
        Assert.Equal(["5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"], validated);
        var bad = await server.SendAsync(HttpMethod.Get, "/api/me", null, ("Authorization", "Bearer " + pool.IdToken()));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(["wrong-token-use"], refused);
        Assert.Equal(0, cookieEvents);
    }

    [Fact]
    public async Task A_bearer_call_refused_by_OnTokenValidated_is_anonymous()
    {
        var pool = TestPool.Default;
        await using var server = await DemoServer.StartOnPoolAsync(
            pool,
            options => options.FollowKeyRotation = false,
            bearer: options => options.Events.OnTokenValidated = context =>
            {
                context.Refuse("tenant disabled");
                return Task.CompletedTask;
            });
        var me = await server.SendAsync(HttpMethod.Get, "/api/me", null, ("Authorization", "Bearer " + pool.AccessToken("jane.doe")));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }
}
