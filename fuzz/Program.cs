using System.Security.Cryptography;
using System.Text;
using Cognito;
using SharpFuzz;

// Coverage-guided fuzzing of the untrusted-input surface with SharpFuzz + AFL++ (fuzz/run.sh).
// The first input byte picks the target: FromCookieHeader, one id or access token, pems.json, JWKS
// (mod 5), and the text encoding (UTF-8 below 5 mod 10, raw UTF-16 above).
// Invariants on every input: no exception escapes (AFL sees one as a crash), and a Right only for an
// input that carries the tokens signed by the fuzz key (an attacker cannot sign).
// `dotnet Cognito.Fuzz.dll --corpus DIR` writes the seed corpus instead.
// Instrumented code may run only inside Fuzzer.OutOfProcess.Run (it writes AFL's shared memory, set up
// there), so everything that touches Cognito.Core is built on the first input.
var key = RSA.Create();
key.ImportFromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fuzz-key.pem")));
const string Region = "eu-west-1", PoolId = "eu-west-1_FuzzPool1";
var issuer = $"https://cognito-idp.{Region}.amazonaws.com/{PoolId}";
const string ClientId = "7fuzz0client0id0abcdef0123";
const string Kid = "fuzz-key-1";
var pems = "{\"eu-west-1\":{\"eu-west-1_FuzzPool1\":{\"" + Kid + "\":" + System.Text.Json.JsonSerializer.Serialize(key.ExportSubjectPublicKeyInfoPem()) + "}}}";
CognitoAuth? auth = null;
UserPool? pool = null;
CognitoAuth Auth()
{
    pool ??= new UserPool(Region, PoolId);
    var keys = PemsFile.Parse(pems).Match(k => k, e => throw new InvalidOperationException(e.Message));
    return auth ??= new CognitoAuth(CognitoOptions.For(Region, PoolId, ClientId, keys) with
    {
        TimeProvider = new PinnedClock(DateTimeOffset.FromUnixTimeSeconds(1767225600)),
        SessionCacheSize = 0,
    });
}

string Sign(string header, string payload)
{
    static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    var input = $"{B64(Encoding.UTF8.GetBytes(header))}.{B64(Encoding.UTF8.GetBytes(payload))}";
    return $"{input}.{B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
}

var header = $$"""{"kid":"{{Kid}}","alg":"RS256"}""";
var id = Sign(header, $$"""{"sub":"s-1","cognito:groups":["admin"],"iss":"{{issuer}}","cognito:username":"jane","aud":"{{ClientId}}","token_use":"id","auth_time":1767225500,"exp":1767229200,"iat":1767225500,"email":"j@example.com"}""");
var access = Sign(header, $$"""{"sub":"s-1","iss":"{{issuer}}","client_id":"{{ClientId}}","token_use":"access","scope":"openid email","auth_time":1767225500,"exp":1767229200,"iat":1767225500,"username":"jane"}""");
var prefix = "CognitoIdentityServiceProvider." + ClientId;
var session = $"{prefix}.LastAuthUser=jane; {prefix}.jane.idToken={id}; {prefix}.jane.accessToken={access}; {prefix}.jane.refreshToken=r";

if (args is ["--corpus", var directory])
{
    Directory.CreateDirectory(directory);
    var seeds = new Dictionary<string, (byte Target, string Text)>
    {
        ["session"] = (0, session),
        ["session-quoted"] = (0, session.Replace("=eyJ", "=\"eyJ", StringComparison.Ordinal)),
        ["no-session"] = (0, "theme=dark; _ga=GA1.2.3"),
        ["swapped"] = (0, session.Replace(id, "X", StringComparison.Ordinal).Replace(access, id, StringComparison.Ordinal).Replace("X", access, StringComparison.Ordinal)),
        ["alg-none"] = (1, $"{Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"kid\":\"" + Kid + "\",\"alg\":\"none\"}")).TrimEnd('=')}.{id.Split('.')[1]}."),
        ["id"] = (1, id),
        ["access"] = (2, access),
        ["pems"] = (3, pems),
        ["session-utf16"] = (5, session),
        ["pems-utf16"] = (8, pems),
        ["jwks"] = (4, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k\",\"n\":\"" + Convert.ToBase64String(key.ExportParameters(false).Modulus!).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\",\"e\":\"AQAB\",\"alg\":\"RS256\",\"use\":\"sig\"}]}"),
        ["jwks-utf16"] = (9, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k\",\"n\":\"" + Convert.ToBase64String(key.ExportParameters(false).Modulus!).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\",\"e\":\"AQAB\",\"alg\":\"RS256\",\"use\":\"sig\"}]}"),
    };
    foreach (var (name, (target, text)) in seeds)
    {
        File.WriteAllBytes(Path.Combine(directory, name), [target, .. (target < 5 ? Encoding.UTF8 : Encoding.Unicode).GetBytes(text)]);
    }

    return;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    var bytes = buffer.ToArray();
    if (bytes.Length == 0)
    {
        return;
    }

    // Targets 0-4 read the rest as UTF-8 (what arrives over HTTP); 5-9 as raw UTF-16 code units, so
    // strings no UTF-8 can carry (unpaired surrogates) reach the public methods too: a caller may pass any string.
    var text = bytes[0] % 10 < 5
        ? Encoding.UTF8.GetString(bytes, 1, bytes.Length - 1)
        : new string(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(bytes.AsSpan(1, (bytes.Length - 1) & ~1)));
    var verifier = Auth();
    switch (bytes[0] % 5)
    {
        case 0:
            verifier.FromCookieHeader(text).IfRight(tokens => Require(text.Contains(tokens.IdToken, StringComparison.Ordinal) && tokens.IdToken == id && tokens.AccessToken == access, "accepted a session not signed by the fuzz key"));
            break;
        case 1:
            verifier.VerifyIdToken(text).IfRight(claims => Require(claims.Token == id, "accepted an id token not signed by the fuzz key"));
            break;
        case 2:
            verifier.VerifyAccessToken(text).IfRight(claims => Require(claims.Token == access, "accepted an access token not signed by the fuzz key"));
            break;
        case 3:
            PemsFile.Parse(text);
            break;
        default:
            Jwks.Parse(pool!, text);
            break;
    }
});

static void Require(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message);
    }
}

internal sealed class PinnedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
