using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cognito.Properties;

/// <summary>Laws of the encodings the pipeline relies on (1,000 cases each by default; see SpecPropertyAttribute).</summary>
public sealed class EncodingProperties
{
    private static readonly Gen<string> Usernames = Gen.OneOf(
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get),
        Gen.Elements("()#$&+^`|!~*'@ ;=,\"%/\\:?[]{}<>".ToCharArray()).ListOf().Select(cs => new string([.. cs])),
        Gen.Choose(0x20, 0x10FFFF).Where(c => c is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32).ListOf().Select(string.Concat))
        .Where(IsWellFormed);

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    [SpecProperty]
    public Property The_js_cookie_name_encoding_round_trips_for_any_username() =>
        Prop.ForAll(Usernames.ToArbitrary(), username =>
            Uri.UnescapeDataString(AmplifyCookieNames.EncodeUsername(username)) == username
            && Uri.UnescapeDataString(AmplifyCookieNames.EncodeUsername(username, encodeParentheses: false)) == username);

    [SpecProperty]
    public Property The_encoded_name_holds_only_cookie_name_characters() =>
        Prop.ForAll(Usernames.ToArbitrary(), username =>
            AmplifyCookieNames.EncodeUsername(username).All(c => c is > ' ' and < (char)127 and not (';' or '=' or ',' or '"' or '(' or ')' or ' ')));

    [SpecProperty]
    public Property A_js_cookie_value_decodes_back_to_the_username() =>
        Prop.ForAll(Usernames.ToArbitrary(), username => AmplifyCookieNames.DecodeValue(AmplifyCookies.EncodeValue(username)) == username);

    [SpecProperty]
    public bool Canonical_base64url_round_trips(byte[] bytes)
    {
        var text = Jws.Base64Url(bytes);
        var decoded = new byte[bytes.Length];
        return TokenText.TryDecode(text, decoded, out var written) && written == bytes.Length && decoded.AsSpan().SequenceEqual(bytes);
    }

    [SpecProperty]
    public bool Base64url_decoding_accepts_exactly_the_canonical_spellings(NonNull<string> text)
    {
        var buffer = new byte[text.Get.Length];
        var ours = TokenText.TryDecode(text.Get, buffer, out var written);
        if (!ours)
        {
            return text.Get.Length == 0 || Jws.Base64Url(TryReference(text.Get) ?? []) != text.Get;
        }

        return Jws.Base64Url(buffer.AsSpan(0, written)) == text.Get;
    }

    private static byte[]? TryReference(string text)
    {
        try
        {
            return Jws.FromBase64Url(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static readonly Gen<string> JsonishText = Gen.OneOf(
            Gen.Elements("{", "}", "[", "]", ",", ":", "\"a\"", "\"b\"", "1", "-0.5e3", "true", "null", " ", "\"\\u00e9\"", "\"\\ud800\"", "01", "\"\\q\"", "\u0001"),
            ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get))
        .ListOf().Select(parts => string.Concat(parts));

    [SpecProperty]
    public Property The_JSON_shape_check_accepts_only_what_System_Text_Json_parses_as_an_object() =>
        Prop.ForAll(JsonishText.ToArbitrary(), text =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var ours = JsonShape.Check(bytes);
            JsonDocument? reference = null;
            try
            {
                reference = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException)
            {
            }

            using (reference)
            {
                return ours == JsonShapeFault.None
                    ? reference is not null && reference.RootElement.ValueKind == JsonValueKind.Object
                    : ours != JsonShapeFault.NotObject || reference is null || reference.RootElement.ValueKind != JsonValueKind.Object || HasSurrogateEscape(text);
            }
        });

    [SpecProperty]
    public Property Any_JSON_object_without_duplicates_passes_the_shape_check()
    {
        var member = from name in ArbMap.Default.GeneratorFor<NonNull<string>>() from value in ArbMap.Default.GeneratorFor<int>() select (name.Get, value);
        return Prop.ForAll(member.ListOf().ToArbitrary(), members =>
        {
            var unique = members.Where(m => IsWellFormed(m.Item1)).DistinctBy(m => m.Item1).ToDictionary(m => m.Item1, m => m.Item2);
            var json = JsonSerializer.SerializeToUtf8Bytes(unique);
            var duplicated = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json)[..^1] + (unique.Count > 0 ? "," : "") + "\"k\":1,\"k\":2}");
            return JsonShape.Check(json) == JsonShapeFault.None && JsonShape.Check(duplicated) == JsonShapeFault.DuplicateName;
        });
    }

    private static readonly Gen<string> JsonScalar = Gen.OneOf(
        Gen.Elements("0", "-0", "7", "1.5", "-2e10", "1E+2", "3e-1", "0.25E-3", "true", "false", "null", "\"\"", "\"a\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\n\\\"\\\\/\"", "\"é中\""),
        ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static readonly Gen<string> JsonName = Gen.Elements("\"a\"", "\"b\"", "\"sub\"", "\"s\\u0075b\"", "\"\\u0061\"", "\"é\"", "\"\\u00e9\"", "\"\"", "\"exp\"", "\"iss\"");

    private static Gen<string> JsonValue(int depth) =>
        depth == 0 ? JsonScalar : Gen.Frequency((3, JsonScalar), (1, JsonArray(depth - 1)), (1, JsonObject(depth - 1)));

    private static Gen<string> JsonArray(int depth) =>
        JsonValue(depth).ListOf().Select(items => "[" + string.Join(",", items) + "]");

    private static Gen<string> JsonObject(int depth) =>
        (from name in JsonName from value in JsonValue(depth) from space in Gen.Elements("", " ", "\n\t") select name + space + ":" + value)
        .ListOf().Select(members => "{" + string.Join(",", members) + "}");

    /// <summary>A JSON object from the generator above with one character deleted, inserted or replaced (or none).</summary>
    private static readonly Gen<string> NearlyJson =
        from json in Gen.Sized(size => JsonObject(Math.Min(4, size / 10)))
        from edit in Gen.Choose(0, 3)
        from at in Gen.Choose(0, json.Length - 1)
        from c in Gen.Elements("{}[],:\"\\ 019eE.+-tfnu\u0001x".ToCharArray())
        select edit switch
        {
            0 => json,
            1 => json.Remove(at, 1),
            2 => json.Insert(at, c.ToString()),
            _ => json.Remove(at, 1).Insert(at, c.ToString()),
        };

    [SpecProperty]
    public Property Nearly_JSON_objects_pass_exactly_when_System_Text_Json_reads_them_without_duplicates() =>
        Prop.ForAll(NearlyJson.ToArbitrary(), text =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var ours = JsonShape.Check(bytes);
            var reference = ReadsAsObjectWithoutDuplicates(bytes);
            return ours == JsonShapeFault.None ? reference : !reference || HasSurrogateEscape(text);
        });

    private static bool ReadsAsObjectWithoutDuplicates(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Whether the text has a surrogate escape (\uD800–\uDFFF): the reader accepts a lone one, the shape check does not.</summary>
    private static bool HasSurrogateEscape(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, @"\\u[dD][89a-fA-F]", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
}
