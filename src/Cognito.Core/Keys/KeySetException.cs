namespace Cognito;

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
