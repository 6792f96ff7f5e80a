using System.Text.Json;

namespace PxpActors.Bench.Roles;

/// <summary>The child side of <see cref="Processes.ChildProcess"/>: commands from stdin, one JSON reply per line on stdout.</summary>
public static class RoleConsole
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Reply(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public static void ReplyError(Exception error) => Reply(new { error = error.GetBaseException().Message });

    /// <summary>Runs <paramref name="handle"/> for each command line until "exit" or the end of stdin.</summary>
    public static async Task ServeAsync(Func<string, int, Task> handle)
    {
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            if (parts[0] == "exit") return;
            try
            {
                var argument = parts.Length > 1 ? int.Parse(parts[1]) : 0;
                await handle(parts[0], argument).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                ReplyError(e);
            }
        }
    }
}
