namespace Cognito.Cli;

/// <summary><c>--name value</c> and <c>--flag</c> arguments, each name at most once.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    internal static Arguments? Parse(string[] args, IReadOnlySet<string> options, IReadOnlySet<string> flags, out string? error)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : null;
            string? inlineValue = null;
            if (name is not null && name.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                inlineValue = name[(eq + 1)..];
                name = name[..eq];
            }

            if (name is null || !(options.Contains(name) || flags.Contains(name)))
            {
                error = $"unknown argument '{arg}'";
                return null;
            }

            if (parsed._values.ContainsKey(name))
            {
                error = $"--{name} given twice";
                return null;
            }

            if (flags.Contains(name))
            {
                parsed._values[name] = null;
                continue;
            }

            if (inlineValue is null)
            {
                if (i + 1 >= args.Length)
                {
                    error = $"--{name} needs a value";
                    return null;
                }

                inlineValue = args[++i];
            }

            parsed._values[name] = inlineValue;
        }

        error = null;
        return parsed;
    }

    internal bool Has(string name) => _values.ContainsKey(name);

    internal string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;
}
