using LanguageExt;

namespace Cognito;

/// <summary>
/// The keys a loader (<see cref="Jwks"/>, <see cref="PemsFile"/>) has read so far. The first refusal is the
/// loader's answer: the keys collected until then are released, and no key set is made.
/// </summary>
internal sealed class KeyCollector
{
    private readonly List<PoolKey> _keys = [];

    /// <summary>Keeps a loaded key; on a refusal releases every key kept and returns the refusal.</summary>
    internal KeyLoadError? Add(Either<KeyLoadError, PoolKey> loaded) =>
        loaded.MatchUnsafe<KeyLoadError?>(
            Right: key =>
            {
                _keys.Add(key);
                return null;
            },
            Left: error =>
            {
                // Stryker disable once Statement : equivalent, releases keys that are being thrown away; nothing reads them after
                _keys.ForEach(k => k.Rsa.Dispose());
                return error;
            });

    /// <summary>Whether a key of this kid was kept.</summary>
    internal bool Holds(string kid) => _keys.Exists(key => key.Kid == kid);

    /// <summary>The key set of every key kept.</summary>
    internal KeySet ToKeySet() => new(_keys);
}
