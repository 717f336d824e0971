using System.Security.Cryptography;
using System.Text;

namespace Cognito;

/// <summary>What makes two loaded keys the same key: pool, kid and the public key itself.</summary>
internal readonly record struct KeyIdentity(string Issuer, string Kid, string SubjectPublicKeyInfo);
