namespace Cognito;

/// <summary>Why a key source (pems.json, JWKS) could not be loaded; the message names the bad entry.</summary>
public sealed record KeyLoadError(string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}

/// <summary>Thrown at start-up when a key file cannot be used; the message says what to fix.</summary>
public sealed class KeySetException : Exception
{
    /// <summary>A key-set configuration error.</summary>
    public KeySetException(string message)
        : base(message)
    {
    }

    /// <summary>A key-set configuration error with its cause.</summary>
    public KeySetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Required by CA1032.</summary>
    public KeySetException()
    {
    }
}
