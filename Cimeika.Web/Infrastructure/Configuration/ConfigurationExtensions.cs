namespace Cimeika.Web.Infrastructure.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>
    /// Reads the environment-variable settings once, registers them as singletons and fails start-up
    /// with one line per problem when any value is invalid.
    /// </summary>
    public static (AppSettings App, DatabaseSettings Database) AddCimeikaSettings(this WebApplicationBuilder builder)
    {
        var (app, database, problems) = SettingsReader.Read(builder.Configuration, builder.Environment.EnvironmentName);
        if (problems.Count > 0)
        {
            throw new InvalidConfigurationException(problems);
        }
        builder.Services.AddSingleton(app);
        builder.Services.AddSingleton(database);
        return (app, database);
    }
}

public sealed class InvalidConfigurationException(IReadOnlyList<string> problems)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => " - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
