using Cimeika.Web.Infrastructure.Api;

namespace Cimeika.Web.Infrastructure.Identity;

/// <summary>At least 10 characters, not a commonly used password, not the e-mail address.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 200;

    private static readonly HashSet<string> Common = LoadCommon();

    public static IReadOnlyList<FieldError> Validate(string field, string? password, string? email)
    {
        var v = new Validator();
        if (string.IsNullOrEmpty(password))
        {
            v.Add(field, ValidationCodes.Required);
        }
        else if (password.Length < MinLength)
        {
            v.Add(field, ValidationCodes.TooShort, MinLength);
        }
        else if (password.Length > MaxLength)
        {
            v.Add(field, ValidationCodes.TooLong, MaxLength);
        }
        else if (Common.Contains(password.ToLowerInvariant()) ||
                 (email is not null && string.Equals(password, email, StringComparison.OrdinalIgnoreCase)) ||
                 password.Distinct().Count() < 4)
        {
            v.Add(field, ValidationCodes.CommonPassword);
        }
        return v.Errors;
    }

    private static HashSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#')) set.Add(line.Trim().ToLowerInvariant());
        }
        return set;
    }
}
