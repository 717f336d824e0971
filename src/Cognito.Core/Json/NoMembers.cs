namespace Cognito;

/// <summary>A reader that wants nothing but the check itself (a JOSE header is read afterwards with <see cref="System.Text.Json.Utf8JsonReader"/>).</summary>
internal struct NoMembers : IJsonMembers
{
    public readonly void Member(ReadOnlySpan<byte> name)
    {
    }

    public readonly void Scalar(ReadOnlySpan<byte> json, int start, int end, bool escaped)
    {
    }

    public readonly void Open(bool isObject, int start)
    {
    }

    public readonly void ElementInValue(byte first)
    {
    }

    public readonly void NestedInValue()
    {
    }

    public readonly void Close(int end)
    {
    }
}
