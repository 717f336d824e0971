using System.Diagnostics;
using System.Globalization;

namespace Cognito.Bench;

/// <summary>
/// Ratios measured interleaved: <c>dotnet run -c Release --project bench -- interleaved [--rounds N] [--launches N] [--dry]</c>.
/// On this shared machine one RSA verification takes 40 µs in one minute and 55 µs in the next, and
/// BenchmarkDotNet measures a class's rows one after the other, so a ratio of two rows compares two
/// different minutes (3-iteration runs of the same code gave the cold ratio anywhere from 1.02 to
/// 1.28). Here a candidate and its baseline run in alternating blocks of about 50 µs each (ABBA order,
/// after two seconds of warm-up so the JIT has finished), so both see the same machine: the ratio of
/// their total times per operation over all rounds is the answer, with the spread of the per-round
/// ratios beside it. Then the cold path's accounting: each stage of <see cref="ColdPathAccounting"/>
/// interleaved with the whole cold path, as a share of it. Each launch is a fresh process; a ratio holds
/// still when the launches agree. Absolute times and allocations stay BenchmarkDotNet's (the main table).
/// </summary>
internal static class Interleaved
{
    private static readonly long BlockTicks = Stopwatch.Frequency / 20_000; // 50 µs

    /// <summary>Two seconds, or 20 ms with <c>--dry</c> (CI's check that the harness still runs; its numbers mean nothing).</summary>
    private static long _warmUpTicks = 2 * Stopwatch.Frequency;

    public static int Run(string[] args)
    {
        var dry = args.Contains("--dry");
        var rounds = dry ? 3 : Option(args, "--rounds", 400);
        _warmUpTicks = dry ? Stopwatch.Frequency / 50 : _warmUpTicks;
        var launches = Option(args, "--launches", 1);
        if (launches > 1)
        {
            // Fresh processes: JIT, heap and the key's state start over, as BenchmarkDotNet's launches do.
            for (var launch = 1; launch <= launches; launch++)
            {
                Console.WriteLine($"launch {launch} of {launches}");
                using var child = Process.Start(Environment.ProcessPath!, [Environment.GetCommandLineArgs()[0], "interleaved", "--rounds", rounds.ToString(CultureInfo.InvariantCulture)])!;
                child.WaitForExit();
                if (child.ExitCode != 0)
                {
                    return child.ExitCode;
                }
            }

            return 0;
        }

        var b = new FromCookieHeaderBenchmarks();
        b.Setup();
        var stages = new ColdPathAccounting();
        stages.Setup();
        Console.WriteLine($"{"candidate / baseline",-46} {"ratio",7} {"p10",6} {"p50",6} {"p90",6}  candidate   baseline  ({rounds} rounds of two ~50-µs blocks)");
        Print("FromCookieHeaderCold / RawRsaFloor", Measure(b.FromCookieHeaderCold, b.RawRsaFloor, rounds));
        Print("RejectBadSignature / RawRsaSingle", Measure(b.RejectBadSignature, b.RawRsaSingle, rounds));
        Print("VerifyAccessTokenCold / RawRsaSingle", Measure(b.VerifyAccessTokenCold, b.RawRsaSingle, rounds));
        Print("JsonWebTokenHandler / FromCookieHeaderCold", Measure(() => b.JsonWebTokenHandler().GetAwaiter().GetResult(), b.FromCookieHeaderCold, rounds));

        // The accounting: every stage (and all of them in a row) as a share of the cold path beside it.
        Console.WriteLine();
        Console.WriteLine($"{"cold path, stage by stage",-46} {"µs",8} {"share",7}");
        (string Name, Func<bool> Stage)[] rows =
        [
            ("Signature: RSA (ColdPathAccounting.Rsa)", stages.Rsa),
            ("Cookies: FindSession", stages.FindSession),
            ("Structure: SplitAndDecode", stages.SplitAndDecode),
            ("Structure + Alg: CheckHeaders", stages.CheckHeaders),
            ("Structure: CheckPayloads", stages.CheckPayloads),
            ("Issuer + Key: IssuerAndKey", stages.IssuerAndKey),
            ("Signature: SigningInput", stages.SigningInput),
            ("Claims: ClaimRulesBoth", stages.ClaimRulesBoth),
            ("Claims objects: BuildClaims", () => stages.BuildClaims() is not null),
            ("Pair + AuthTokens: PairAndSession", () => stages.PairAndSession() is not null),
        ];
        // Shares first, µs after: every row's share is of the cold path measured beside it, and the µs
        // column uses the mean of those cold times, so the rows add up to the last one.
        var shares = new List<(string Name, double Share)>();
        var colds = new List<double>();
        foreach (var (name, stage) in rows)
        {
            var m = Measure(stage, stages.Cold, rounds);
            shares.Add((name, m.Ratio));
            colds.Add(m.BaselineMicroseconds);
        }

        var inARow = Measure(stages.StagesInARow, stages.Cold, rounds);
        colds.Add(inARow.BaselineMicroseconds);
        var sum = shares.Sum(row => row.Share);
        shares.Add(("the stages run in a row, beyond their sum", inARow.Ratio - sum));
        shares.Add(("the pipeline's glue (cold − stages in a row)", 1 - inARow.Ratio));
        var cold = colds.Average();
        foreach (var (name, share) in shares)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-46} {share * cold,8:0.00} {share,7:0.000}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"FromCookieHeaderCold (the rows' total)",-46} {cold,8:0.00} {1,7:0.000}"));
        return 0;
    }

    private readonly record struct Result(double Ratio, double P10, double P50, double P90, double CandidateMicroseconds, double BaselineMicroseconds);

    private static void Print(string name, Result m) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-46} {m.Ratio,7:0.000} {m.P10,6:0.00} {m.P50,6:0.00} {m.P90,6:0.00}  {m.CandidateMicroseconds,6:0.00} µs {m.BaselineMicroseconds,6:0.00} µs"));

    private static Result Measure(Func<bool> candidate, Func<bool> baseline, int rounds)
    {
        // Warm-up by time, not by count: the JIT recompiles hot methods with full optimisation (and
        // profile-guided) only after they ran a while, and 200 runs of a 50-µs operation are 10 ms.
        var warmUntil = Stopwatch.GetTimestamp() + _warmUpTicks;
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            candidate();
            baseline();
        }

        // Blocks of about 50 µs on both sides: a 10-ns stage runs thousands of times per block, so the
        // clock's own cost and resolution do not count.
        int candidateOps = OperationsPerBlock(candidate), baselineOps = OperationsPerBlock(baseline);
        var ratios = new double[rounds];
        long candidateTicks = 0, baselineTicks = 0;
        for (var round = 0; round < rounds; round++)
        {
            // ABBA: every other round the baseline goes first, so neither always runs right after the other.
            long a, bl;
            if (round % 2 == 0)
            {
                a = Block(candidate, candidateOps);
                bl = Block(baseline, baselineOps);
            }
            else
            {
                bl = Block(baseline, baselineOps);
                a = Block(candidate, candidateOps);
            }

            candidateTicks += a;
            baselineTicks += bl;
            ratios[round] = (double)a / candidateOps / ((double)bl / baselineOps);
        }

        Array.Sort(ratios);
        var microsecondsPerTick = 1e6 / Stopwatch.Frequency;
        var candidatePerOperation = (double)candidateTicks / rounds / candidateOps;
        var baselinePerOperation = (double)baselineTicks / rounds / baselineOps;
        return new Result(
            candidatePerOperation / baselinePerOperation,
            ratios[rounds / 10],
            ratios[rounds / 2],
            ratios[rounds * 9 / 10],
            candidatePerOperation * microsecondsPerTick,
            baselinePerOperation * microsecondsPerTick);
    }

    private static int OperationsPerBlock(Func<bool> operation)
    {
        var ticks = Block(operation, 64);
        return (int)Math.Clamp(BlockTicks * 64 / Math.Max(ticks, 1), 1, 100_000);
    }

    private static long Block(Func<bool> operation, int count)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            if (!operation())
            {
                throw new InvalidOperationException("a benchmark operation gave the wrong answer");
            }
        }

        return Stopwatch.GetTimestamp() - started;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }
}
