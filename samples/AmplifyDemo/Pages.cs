using System.Text.Encodings.Web;
using Cognito.AspNet;

namespace Cognito.AmplifyDemo;

/// <summary>The sample's pages: rendered on the server from Amplify's cookies, with Amplify's buttons.</summary>
internal static class Pages
{
    internal static string AmplifyName(string version) => version == "v3" ? "@aws-amplify/auth 3.4.34" : "aws-amplify 6.22.1";

    internal static IResult Home(HttpContext context, AmplifySite site)
    {
        var session = context.GetCognitoTokens();
        var user = session is null
            ? "<h1 id=\"welcome\">Welcome anonymous</h1><button id=\"signin\" type=\"button\">Sign in with Amplify</button>"
            : $"""
              <h1 id="welcome">Welcome {Encode(session.Username)}</h1>
              <p>sub <code id="sub">{Encode(session.Sub)}</code></p>
              <p id="groups">Groups: {(session.Groups.Count == 0 ? "none" : Encode(string.Join(", ", session.Groups)))}</p>
              <button id="signout" type="button">Sign out with Amplify</button>
              """;
        return Results.Content($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Cognito Amplify demo</title>
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;overflow-wrap:anywhere}</style>
            <script src="/amplify/amplify-{{site.Amplify}}.js"></script>
            <script src="/auth/sync.js" defer></script></head>
            <body>
            <p>Amplify in the browser: <span id="amplify">{{AmplifyName(site.Amplify)}}</span>. This page was rendered on the server from Amplify's cookies.</p>
            {{user}}
            <p><a href="/api/me">/api/me</a></p>
            <script>
            for (const [id, action] of [["signin", "signIn"], ["signout", "signOut"]]) {
              const button = document.getElementById(id);
              if (button) button.addEventListener("click", () => window.demo[action]());
            }
            </script>
            </body></html>
            """, "text/html; charset=utf-8");
    }

    /// <summary>An Amplify bundle (built from npm with esbuild, embedded), after the settings it reads.</summary>
    internal static IResult Bundle(AmplifySite site, string file)
    {
        if (file is not ("amplify-v6.js" or "amplify-v3.js") || typeof(Pages).Assembly.GetManifestResourceStream(file) is not { } stream)
        {
            return Results.NotFound();
        }

        using (stream)
        using (var reader = new StreamReader(stream))
        {
            return Results.Text(site.ClientSettingsScript() + reader.ReadToEnd(), "text/javascript; charset=utf-8");
        }
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
