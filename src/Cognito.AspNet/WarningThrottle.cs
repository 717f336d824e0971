using System.Collections.Concurrent;

namespace Cognito.AspNet;

/// <summary>
/// At most <see cref="PerMinute"/> warnings of one kind a minute: anyone can make the adapter warn
/// (a bad callback, a tossed cookie), and a flood of requests must not become a flood of log lines.
/// The first warning after a quiet minute says how many were left out.
/// </summary>
internal sealed class WarningThrottle(TimeProvider clock)
{
    internal const int PerMinute = 20;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>Whether a warning of <paramref name="kind"/> may be written now, and how many were left out before it.</summary>
    internal bool Allow(string kind, out int suppressed)
    {
        var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var window = _windows.GetOrAdd(kind, static _ => new Window());
        lock (window)
        {
            suppressed = 0;
            if (window.Minute != minute)
            {
                suppressed = window.Suppressed;
                (window.Minute, window.Count, window.Suppressed) = (minute, 0, 0);
            }

            if (window.Count >= PerMinute)
            {
                window.Suppressed++;
                return false;
            }

            window.Count++;
            return true;
        }
    }

    private sealed class Window
    {
        public long Minute { get; set; } = -1;

        public int Count { get; set; }

        public int Suppressed { get; set; }
    }
}
