using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cognito;

/// <summary>
/// Where each claim the verifier knows sits in a payload, and its JSON type, as located by
/// <see cref="JsonShape"/>'s pass over the payload (<see cref="ClaimLocator"/>). Nothing is allocated;
/// the rules (<see cref="ClaimRules"/>) decide what is acceptable.
/// </summary>
internal struct TokenPayload
{
    internal ClaimValue Iss;
    internal ClaimValue Sub;
    internal ClaimValue Aud;
    internal ClaimValue TokenUse;
    internal ClaimValue ClientId;
    internal ClaimValue Username;
    internal ClaimValue CognitoUsername;
    internal ClaimValue Scope;
    internal ClaimValue Email;
    internal ClaimValue EmailVerified;
    internal ClaimValue Jti;
    internal ClaimValue Groups;
    internal bool GroupsAreStrings;
    internal DateClaim Exp;
    internal DateClaim Iat;
    internal DateClaim Nbf;
    internal DateClaim AuthTime;

    internal enum Claim
    {
        Other,
        Iss,
        Sub,
        Aud,
        TokenUse,
        ClientId,
        Username,
        CognitoUsername,
        Scope,
        Email,
        EmailVerified,
        Jti,
        Groups,
        Exp,
        Iat,
        Nbf,
        AuthTime,
    }

    internal static Claim Known(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("iss"u8) => Claim.Iss,
        3 when name.SequenceEqual("sub"u8) => Claim.Sub,
        3 when name.SequenceEqual("aud"u8) => Claim.Aud,
        3 when name.SequenceEqual("exp"u8) => Claim.Exp,
        3 when name.SequenceEqual("iat"u8) => Claim.Iat,
        3 when name.SequenceEqual("nbf"u8) => Claim.Nbf,
        3 when name.SequenceEqual("jti"u8) => Claim.Jti,
        5 when name.SequenceEqual("email"u8) => Claim.Email,
        5 when name.SequenceEqual("scope"u8) => Claim.Scope,
        8 when name.SequenceEqual("username"u8) => Claim.Username,
        9 when name.SequenceEqual("token_use"u8) => Claim.TokenUse,
        9 when name.SequenceEqual("client_id"u8) => Claim.ClientId,
        9 when name.SequenceEqual("auth_time"u8) => Claim.AuthTime,
        14 when name.SequenceEqual("email_verified"u8) => Claim.EmailVerified,
        14 when name.SequenceEqual("cognito:groups"u8) => Claim.Groups,
        16 when name.SequenceEqual("cognito:username"u8) => Claim.CognitoUsername,
        _ => Claim.Other,
    };

    internal static ref ClaimValue Slot(ref TokenPayload claims, Claim claim)
    {
        switch (claim)
        {
            case Claim.Iss: return ref claims.Iss;
            case Claim.Sub: return ref claims.Sub;
            case Claim.Aud: return ref claims.Aud;
            case Claim.TokenUse: return ref claims.TokenUse;
            case Claim.ClientId: return ref claims.ClientId;
            case Claim.Username: return ref claims.Username;
            case Claim.CognitoUsername: return ref claims.CognitoUsername;
            case Claim.Scope: return ref claims.Scope;
            case Claim.Email: return ref claims.Email;
            case Claim.EmailVerified: return ref claims.EmailVerified;
            case Claim.Groups: return ref claims.Groups;
            default: return ref claims.Jti;
        }
    }

    internal static ref DateClaim Date(ref TokenPayload claims, Claim claim)
    {
        switch (claim)
        {
            case Claim.Exp: return ref claims.Exp;
            case Claim.Iat: return ref claims.Iat;
            case Claim.Nbf: return ref claims.Nbf;
            default: return ref claims.AuthTime;
        }
    }

    /// <summary>The strings of a <c>cognito:groups</c> array that passed the type rule.</summary>
    internal static string[] ReadStrings(ReadOnlySpan<byte> payload, ClaimValue array)
    {
        if (!array.IsPresent)
        {
            return [];
        }

        var reader = new Utf8JsonReader(payload.Slice(array.Start, array.Length));
        reader.Read();
        var strings = new List<string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            strings.Add(reader.GetString()!);
        }

        return [.. strings];
    }
}
