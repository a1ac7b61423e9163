using Cimeika.Web.Infrastructure.Api;
using Dapper;
using Npgsql;

namespace Cimeika.Web.Infrastructure.Identity;

/// <summary>
/// <c>users add --email E --password P --name N --role owner|member|operator</c> and
/// <c>tokens create --email E --name N</c>: accounts from the command line, for operators and automation.
/// </summary>
public static class AccountCommands
{
    private const string Usage = """
        Usage:
          dotnet Cimeika.Web.dll users add --email E --password P --name N --role owner|member|operator
          dotnet Cimeika.Web.dll tokens create --email E --name N
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string command, string[] args)
    {
        var verb = args.FirstOrDefault();
        var options = ParseOptions(args.Skip(1).ToArray(), out var parseError);
        if (parseError is not null)
        {
            return Fail(parseError);
        }
        Func<IServiceProvider, Dictionary<string, string>, Task<int>>? run = (command, verb) switch
        {
            ("users", "add") => AddUserAsync,
            ("tokens", "create") => CreateTokenAsync,
            _ => null,
        };
        if (run is null)
        {
            return Fail($"Unknown command '{command} {verb}'.");
        }
        try
        {
            // Like the server, the commands bring the schema up to date first.
            await services.GetRequiredService<Data.Migrator>().ApplyAsync(CancellationToken.None);
            return await run(services, options);
        }
        catch (Data.MigrationFailedException e)
        {
            return Fail(e.Message, showUsage: false);
        }
        catch (PostgresException e)
        {
            return Fail($"Database error: {e.MessageText}", showUsage: false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return Fail($"Database unreachable: {e.Message}", showUsage: false);
        }
    }

    private static async Task<int> AddUserAsync(IServiceProvider services, Dictionary<string, string> options)
    {
        var problems = Missing(options, "email", "password", "name", "role");
        var email = options.GetValueOrDefault("email");
        var role = options.GetValueOrDefault("role");
        if (email is not null && !EmailAddress.IsValid(email)) problems.Add("--email is not an e-mail address");
        if (role is not null && !Roles.All.Contains(role)) problems.Add("--role must be owner, member or operator");
        if (options.GetValueOrDefault("name") is { Length: > 100 }) problems.Add("--name is longer than 100 characters");
        foreach (var error in PasswordPolicy.Validate("password", options.GetValueOrDefault("password"), email))
        {
            problems.Add(error.Code == ValidationCodes.CommonPassword
                ? "--password is too common or too simple"
                : $"--password must have {PasswordPolicy.MinLength} to {PasswordPolicy.MaxLength} characters");
        }
        if (problems.Count > 0) return Fail(string.Join(Environment.NewLine, problems));

        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        long familyId;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            familyId = await connection.ExecuteScalarAsync<long>("select min(id) from families");
        }
        var user = await services.GetRequiredService<UserStore>()
            .CreateAsync(familyId, email!, options["name"], options["password"], role!, CancellationToken.None);
        if (user is null) return Fail($"A user with the e-mail {email} already exists.", showUsage: false);
        Console.WriteLine($"Created {user.Role} {user.Email} (id {user.Id}).");
        return 0;
    }

    private static async Task<int> CreateTokenAsync(IServiceProvider services, Dictionary<string, string> options)
    {
        var problems = Missing(options, "email", "name");
        if (options.GetValueOrDefault("name") is { Length: > 100 }) problems.Add("--name is longer than 100 characters");
        if (problems.Count > 0) return Fail(string.Join(Environment.NewLine, problems));

        var user = await services.GetRequiredService<UserStore>().FindByEmailAsync(options["email"], CancellationToken.None);
        if (user is null) return Fail($"No user with the e-mail {options["email"]}.", showUsage: false);
        var (_, secret) = await services.GetRequiredService<TokenStore>().CreateAsync(user.Id, options["name"], CancellationToken.None);
        // The token alone on standard output, so scripts can capture it.
        Console.WriteLine(secret);
        return 0;
    }

    private static Dictionary<string, string> ParseOptions(string[] args, out string? error)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                error = $"Unexpected argument '{args[i]}'.";
                return options;
            }
            options[args[i][2..]] = args[++i];
        }
        return options;
    }

    private static List<string> Missing(Dictionary<string, string> options, params string[] names) =>
        names.Where(n => string.IsNullOrWhiteSpace(options.GetValueOrDefault(n))).Select(n => $"--{n} is required").ToList();

    private static int Fail(string message, bool showUsage = true)
    {
        Console.Error.WriteLine(message);
        if (showUsage) Console.Error.WriteLine(Usage);
        return 2;
    }
}

public static class EmailAddress
{
    public static bool IsValid(string? value)
    {
        var trimmed = value?.Trim();
        return trimmed is { Length: >= 3 and <= 254 } &&
            System.Net.Mail.MailAddress.TryCreate(trimmed, out var address) &&
            address.Address == trimmed &&
            address.Host.Contains('.');
    }
}
