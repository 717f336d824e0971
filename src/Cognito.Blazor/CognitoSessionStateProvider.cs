using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace Cognito.Blazor;

/// <summary>
/// An authentication state that follows the browser's Cognito session: the cookies stay the one source of
/// truth, and the state is what the server's session endpoint answers when asked through the browser —
/// every <see cref="CognitoBlazorOptions.RevalidationInterval"/> (never past the session's <c>exp</c>), when
/// the tab becomes visible, and at once when another tab announces a sign-in or sign-out. The Interactive
/// Server circuit's provider (package <c>Cognito.Blazor.Server</c>) and the WebAssembly one derive from it;
/// they differ in what they ask and what they believe of the answer.
/// </summary>
public abstract class CognitoSessionStateProvider : AuthenticationStateProvider, IAsyncDisposable
{
    /// <summary>Where the module is served from (a static web asset of this package).</summary>
    public const string ModulePath = "./_content/Cognito.Blazor/cognito-session.js";

    private static readonly TimeSpan Floor = TimeSpan.FromSeconds(1);
    private static readonly ClaimsPrincipal AnonymousPrincipal = new(new ClaimsIdentity());

    private readonly IJSRuntime _js;
    private readonly CognitoBlazorOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _asking = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task<AuthenticationState> _state = Task.FromResult(new AuthenticationState(AnonymousPrincipal));
    private ClaimsPrincipal _user = AnonymousPrincipal;
    private IJSObjectReference? _module;
    private IJSObjectReference? _watch;
    private DotNetObjectReference<Signals>? _signals;
    private int _started;

    /// <summary>Creates the provider; it asks nothing until <see cref="StartAsync"/>.</summary>
    protected CognitoSessionStateProvider(IJSRuntime js, CognitoBlazorOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new InvalidOperationException($"CognitoBlazorOptions: {problem}");
        }

        (_js, _options, _time) = (js, options, time ?? TimeProvider.System);
    }

    /// <summary>How many times the server was asked (an answer or not): for tests and diagnostics.</summary>
    public int Revalidations { get; private set; }

    /// <inheritdoc />
    public override Task<AuthenticationState> GetAuthenticationStateAsync() => _state;

    /// <summary>
    /// Starts following the browser's session (once JS interop is available: a connected circuit, or
    /// WebAssembly): listens for the other tabs and visibility, asks the server now, then on the interval.
    /// Calling it again asks again.
    /// </summary>
    public async Task StartAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            await RevalidateAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            _module = await _js.InvokeAsync<IJSObjectReference>("import", _stop.Token, ModulePath).ConfigureAwait(false);
            _signals = DotNetObjectReference.Create(new Signals(this));
            _watch = await _module.InvokeAsync<IJSObjectReference>("watch", _stop.Token, _signals).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or OperationCanceledException or InvalidOperationException)
        {
            return; // no browser to ask (a circuit gone, prerendering): the state stays what the request saw
        }

        await RevalidateAsync().ConfigureAwait(false);
        _ = KeepAskingAsync(_stop.Token);
    }

    /// <summary>Asks the server now and takes its answer (one <c>GET</c> of the session endpoint).</summary>
    public async Task RevalidateAsync()
    {
        if (_module is null || _stop.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await _asking.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var query = Query(out var nonce);
            string? answer;
            try
            {
                answer = await _module.InvokeAsync<string?>("session", _stop.Token, _options.SessionPath, query).ConfigureAwait(false);
            }
            catch (Exception e) when (e is JSException or TaskCanceledException)
            {
                answer = null;
            }

            Revalidations++;
            Take(answer is null ? Unanswered() : Read(answer, nonce));
        }
        catch (Exception e) when (e is JSDisconnectedException or OperationCanceledException or ObjectDisposedException)
        {
            // the circuit is gone: nothing to tell
        }
        finally
        {
            _asking.Release();
        }
    }

    /// <summary>The query of one request to the session endpoint, and the nonce it carries (if any).</summary>
    protected abstract string Query(out string? nonce);

    /// <summary>The principal of a signed-in answer, or null when the answer is not to be believed.</summary>
    protected abstract ClaimsPrincipal? PrincipalOf(JsonElement answer, string? nonce);

    /// <summary>Sets the state without telling anyone (the state the request or the page was rendered with).</summary>
    protected void SetInitialState(Task<AuthenticationState> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
        _user = state.IsCompletedSuccessfully ? state.Result.User : AnonymousPrincipal;
    }

    /// <summary>When to ask next: the interval, or sooner when the session expires before it (at least 1 s).</summary>
    internal TimeSpan NextDelay()
    {
        var delay = _options.RevalidationInterval;
        if (CognitoUser.From(_user).ExpiresAt is { } expires)
        {
            var left = expires - _time.GetUtcNow();
            if (left < delay)
            {
                delay = left < Floor ? Floor : left;
            }
        }

        return delay;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops asking and lets go of the browser's objects.</summary>
    protected virtual async ValueTask DisposeAsyncCore()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            if (_watch is not null)
            {
                await _watch.InvokeVoidAsync("dispose").ConfigureAwait(false);
                await _watch.DisposeAsync().ConfigureAwait(false);
            }

            if (_module is not null)
            {
                await _module.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or OperationCanceledException or ObjectDisposedException)
        {
            // the page is gone already
        }

        _signals?.Dispose();
        _stop.Dispose();
    }

    private async Task KeepAskingAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(NextDelay(), _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RevalidateAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The browser could not ask: keep the user until the session's horizon, then fail closed.</summary>
    private ClaimsPrincipal Unanswered() =>
        CognitoUser.From(_user).ExpiresAt is { } expires && expires <= _time.GetUtcNow() ? AnonymousPrincipal : _user;

    private ClaimsPrincipal Read(string answer, string? nonce)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("signedIn", out var signedIn)
                && signedIn.ValueKind == JsonValueKind.True
                ? PrincipalOf(root, nonce) ?? AnonymousPrincipal
                : AnonymousPrincipal;
        }
        catch (JsonException)
        {
            return AnonymousPrincipal; // not the session endpoint's answer: fail closed
        }
    }

    private void Take(ClaimsPrincipal user)
    {
        if (SameClaims(user, _user))
        {
            return;
        }

        _user = user;
        _state = Task.FromResult(new AuthenticationState(user));
        NotifyAuthenticationStateChanged(_state);
    }

    private static bool SameClaims(ClaimsPrincipal a, ClaimsPrincipal b) =>
        (a.Identity?.IsAuthenticated == true) == (b.Identity?.IsAuthenticated == true)
        && a.Claims.Select(c => (c.Type, c.Value)).SequenceEqual(b.Claims.Select(c => (c.Type, c.Value)));

    /// <summary>What the page calls back (a separate object: the provider's own members stay out of JS's reach).</summary>
    private sealed class Signals(CognitoSessionStateProvider provider)
    {
        [JSInvokable]
        public Task Signal() => provider.RevalidateAsync();
    }
}
