using System.Text.Json.Serialization;

namespace Cognito.AspNet;

/// <summary>
/// The adapter's JSON, generated at build time: no reflection on the request path, so an app published
/// with Native AOT or trimming writes and reads the sign-in flow and the token page as the JIT does.
/// </summary>
[JsonSerializable(typeof(SignInFlow))]
[JsonSerializable(typeof(string))]
internal sealed partial class AdapterJson : JsonSerializerContext;
