using System.Diagnostics.CodeAnalysis;
using Microsoft.JSInterop;

namespace Cognito.Blazor.Tests;

/// <summary>
/// The browser side of JS interop, faked (bUnit renders without a browser; the browser tests use Chromium):
/// the module <c>cognito-session.js</c> answering <c>session</c> with what a test says, and recording the
/// <c>watch</c> callback so a test can play "another tab signed out".
/// </summary>
internal sealed class FakeBrowser : IJSRuntime, IJSObjectReference
{
    internal Func<string, string?> Answer { get; set; } = _ => null;

    internal List<string> Queries { get; } = [];

    internal object? Signals { get; private set; }

    internal bool Disconnected { get; set; }

    /// <summary>What an identifier throws instead of answering (a failed fetch, a gone circuit), by identifier.</summary>
    internal Dictionary<string, Exception> Faults { get; } = [];

    /// <summary>Every identifier invoked, in order.</summary>
    internal List<string> Invoked { get; } = [];

    /// <summary>How many times the module or the watch was disposed (this fake is both).</summary>
    internal int Disposals { get; private set; }

    public ValueTask<TValue> InvokeAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)] TValue>(string identifier, object?[]? args) =>
        InvokeAsync<TValue>(identifier, CancellationToken.None, args);

    public ValueTask<TValue> InvokeAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)] TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
    {
        if (Disconnected)
        {
            throw new JSDisconnectedException("the circuit is gone");
        }

        Invoked.Add(identifier);
        if (Faults.TryGetValue(identifier, out var fault))
        {
            throw fault;
        }

        switch (identifier)
        {
            case "import":
                return new((TValue)(object)this);
            case "watch":
                Signals = args![0];
                return new((TValue)(object)this);
            case "session":
                var query = (string)args![1]!;
                Queries.Add(query);
                return new((TValue)(object?)Answer(query)!);
            default:
                return new(default(TValue)!);
        }
    }

    /// <summary>What the page does when another tab announces a change.</summary>
    internal Task SignalAsync()
    {
        var value = Signals!.GetType().GetProperty("Value")!.GetValue(Signals)!;
        return (Task)value.GetType().GetMethod("Signal")!.Invoke(value, null)!;
    }

    public ValueTask DisposeAsync()
    {
        Disposals++;
        return default;
    }
}
