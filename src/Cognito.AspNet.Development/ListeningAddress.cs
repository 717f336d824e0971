using System.Globalization;

namespace Cognito.AspNet.Development;

/// <summary>
/// The address this server itself listens on, as the development pool's back channel: chosen from the
/// server's bound addresses at start-up (never from a request), a loopback one first, http before https
/// (the development certificate need not be trusted by the server's own HttpClient).
/// </summary>
internal static class ListeningAddress
{
    /// <summary>The best of Kestrel's bound addresses (<c>http://127.0.0.1:5080</c>, <c>http://[::]:80</c>, <c>http://+:80</c>, <c>http://localhost:5000</c>…), or null when there is none.</summary>
    internal static Uri? Choose(IEnumerable<string>? addresses) =>
        (addresses ?? [])
            .Select(Parse)
            .OfType<Uri>()
            .OrderBy(uri => uri.IsLoopback ? 0 : 1)
            .ThenBy(uri => uri.Scheme == "http" ? 0 : 1)
            .FirstOrDefault();

    /// <summary>One bound address with a wildcard or <c>localhost</c> host replaced by a loopback address.</summary>
    internal static Uri? Parse(string address)
    {
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        var portStart = address.LastIndexOf(':');
        if (schemeEnd <= 0 || portStart <= schemeEnd + 2
            || !int.TryParse(address.AsSpan(portStart + 1).TrimEnd('/'), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is <= 0 or > 65535)
        {
            return null;
        }

        var scheme = address[..schemeEnd].ToLowerInvariant();
        var host = address[(schemeEnd + 3)..portStart];
        host = host switch
        {
            "+" or "*" or "0.0.0.0" or "localhost" => "127.0.0.1",
            "[::]" => "[::1]",
            _ => host,
        };
        return scheme is "http" or "https" && Uri.TryCreate($"{scheme}://{host}:{port}/", UriKind.Absolute, out var uri) ? uri : null;
    }
}
