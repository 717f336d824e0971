using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Cognito.Blazor;

/// <summary>Cascades the <see cref="CognitoUser"/> of the authentication state, and a new one whenever it changes.</summary>
internal sealed class CognitoUserSource : CascadingValueSource<CognitoUser>, IDisposable
{
    private readonly AuthenticationStateProvider _provider;

    internal CognitoUserSource(AuthenticationStateProvider provider)
        : this(provider, new Self())
    {
    }

    private CognitoUserSource(AuthenticationStateProvider provider, Self self)
        : base(() => self.Source!.Initial(), isFixed: false)
    {
        self.Source = this;
        _provider = provider;
        _provider.AuthenticationStateChanged += OnChanged;
    }

    public void Dispose() => _provider.AuthenticationStateChanged -= OnChanged;

    /// <summary>The user now; a state still being worked out is anonymous until it is known, then published.</summary>
    private CognitoUser Initial()
    {
        var state = _provider.GetAuthenticationStateAsync();
        if (state.IsCompletedSuccessfully)
        {
            return CognitoUser.From(state.Result.User);
        }

        OnChanged(state);
        return CognitoUser.Anonymous;
    }

    private void OnChanged(Task<AuthenticationState> state) => _ = Publish(state);

    private sealed class Self
    {
        internal CognitoUserSource? Source { get; set; }
    }

    private async Task Publish(Task<AuthenticationState> state)
    {
        CognitoUser user;
        try
        {
            user = CognitoUser.From((await state.ConfigureAwait(false)).User);
        }
#pragma warning disable CA1031 // a failed state is no one signed in: fail closed, never an unobserved exception
        catch (Exception)
#pragma warning restore CA1031
        {
            user = CognitoUser.Anonymous;
        }

        await NotifyChangedAsync(user).ConfigureAwait(false);
    }
}
