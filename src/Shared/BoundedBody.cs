using System.Text;

namespace Cognito;

/// <summary>
/// Shared source (compiled into Cognito.Core and Cognito.AspNet, internal to each): an HTTP answer's body read with a size limit, so a server that lies about or never ends its body cannot fill memory.
/// </summary>
internal static class BoundedBody
{
    /// <summary>The body as UTF-8 text, or null when it is larger than <paramref name="maxBytes"/> (announced or read).</summary>
    internal static async Task<string?> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        // Stryker disable once Block : equivalent, a shortcut: the read loop refuses the same announced bodies once it has read past the limit
        if (content.Headers.ContentLength > maxBytes)
        {
            return null;
        }

        // Stryker disable once Boolean : equivalent, runs after the first await resumed on the thread pool, where there is no context to capture
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
