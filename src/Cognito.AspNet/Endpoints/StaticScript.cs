using Microsoft.AspNetCore.Http;

namespace Cognito.AspNet;

/// <summary>An embedded script (tab sync, the token page's), served with its type and revalidated on each use.</summary>
internal static class StaticScript
{
    internal static Task Write(HttpContext context, string name)
    {
        context.Response.ContentType = "text/javascript; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return context.Response.WriteAsync(Assets.Text(name));
    }
}
