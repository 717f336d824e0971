namespace Cognito;

/// <summary>
/// What <see cref="JsonShape"/> reports, as it checks a document, about the members of its top-level
/// object and their values — the hook a reader plugs in to locate what it needs in the same pass.
/// The checker knows nothing of what the reader does; a reader never changes what the checker accepts.
/// Implemented by structs, so the calls are direct (one copy of the checker per reader) and allocate nothing.
/// </summary>
internal interface IJsonMembers
{
    /// <summary>A member name of the top-level object, unescaped.</summary>
    void Member(ReadOnlySpan<byte> name);

    /// <summary>That member's value is a scalar at <c>json[start..end]</c> (a string with its quotes; <paramref name="escaped"/> when it holds an escape).</summary>
    void Scalar(ReadOnlySpan<byte> json, int start, int end, bool escaped);

    /// <summary>That member's value opens an object or an array at <paramref name="start"/>.</summary>
    void Open(bool isObject, int start);

    /// <summary>A scalar directly inside that value, starting with <paramref name="first"/>.</summary>
    void ElementInValue(byte first);

    /// <summary>A container inside that value.</summary>
    void NestedInValue();

    /// <summary>That value closes; <paramref name="end"/> is just past it.</summary>
    void Close(int end);
}
