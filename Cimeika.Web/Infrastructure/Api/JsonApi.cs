using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cimeika.Web.Modules;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Infrastructure.Api;

/// <summary>The earlier API's validation error body (FastAPI's shape).</summary>
public sealed record ValidationErrorBody(IReadOnlyList<ValidationErrorItem> Detail);

public sealed record ValidationErrorItem(IReadOnlyList<string> Loc, string Msg, string Type);

public static class JsonApi
{
    /// <summary>
    /// Reads the request body as a JSON object. A wrong content type is a 415, malformed JSON a 400
    /// and a non-object a 422, each with a message saying so.
    /// </summary>
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request)
    {
        if (!request.HasJsonContentType())
        {
            return (null, Results.Json(new ApiDetail("Content-Type must be application/json"),
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            return (null, Results.Json(new ApiDetail($"Request body is not valid JSON{where}"),
                statusCode: StatusCodes.Status400BadRequest));
        }
        if (node is not JsonObject body)
        {
            return (null, Results.Json(new ValidationErrorBody(
                [new ValidationErrorItem(["body"], "Expected a JSON object", ValidationCodes.InvalidType)]),
                statusCode: StatusCodes.Status422UnprocessableEntity));
        }
        return (body, null);
    }

    /// <summary>
    /// Reads an input record from a JSON body: <paramref name="read"/> takes the fields (type errors
    /// go to the validator), <paramref name="validate"/> checks the result. Either failure is one 422
    /// listing every field.
    /// </summary>
    public static async Task<(T? Input, IResult? Error)> ReadInputAsync<T>(HttpRequest request, IStringLocalizer localizer,
        Func<JsonFields, Validator, T> read, Func<T, IEnumerable<FieldError>> validate) where T : class
    {
        var (body, error) = await ReadObjectAsync(request);
        if (error is not null) return (null, error);
        var v = new Validator();
        var input = read(new JsonFields(body!, v), v);
        // Type errors first: a wrong-typed field reads as null and would also say "required".
        var typed = v.Errors.Select(e => e.Field).ToHashSet();
        var errors = v.Errors.Concat(validate(input).Where(e => !typed.Contains(e.Field))).ToList();
        return errors.Count > 0 ? (null, ValidationFailed(errors, localizer)) : (input, null);
    }

    public static IResult ValidationFailed(IEnumerable<FieldError> errors, IStringLocalizer localizer) =>
        Results.Json(new ValidationErrorBody(errors
                .Select(e => new ValidationErrorItem(["body", e.Field], e.Message(localizer), e.Code))
                .ToList()),
            statusCode: StatusCodes.Status422UnprocessableEntity);

    public static IResult NotFound(string what) =>
        Results.Json(new ApiDetail($"{what} not found"), statusCode: StatusCodes.Status404NotFound);
}

/// <summary>Typed reads of a JSON object's fields; a wrong type is recorded as a field error.</summary>
public sealed class JsonFields(JsonObject body, Validator validator)
{
    public bool Has(string name) => body.ContainsKey(name);

    public string? String(string name)
    {
        var node = body[name];
        if (node is null) return null;
        if (node.GetValueKind() == JsonValueKind.String) return node.GetValue<string>();
        validator.Add(name, ValidationCodes.InvalidType, "string");
        return null;
    }

    public IReadOnlyList<string> StringList(string name)
    {
        var node = body[name];
        if (node is null) return [];
        if (node is JsonArray array && array.All(i => i?.GetValueKind() == JsonValueKind.String))
        {
            return TextInput.DistinctItems(array.Select(i => i!.GetValue<string>()));
        }
        validator.Add(name, ValidationCodes.InvalidType, "array of strings");
        return [];
    }

    public int? Integer(string name)
    {
        var node = body[name];
        if (node is null) return null;
        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<decimal>(out var number) &&
            number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }
        validator.Add(name, ValidationCodes.InvalidType, "integer");
        return null;
    }

    /// <summary>An ISO 8601 date-time, as UTC; one without an offset is taken as UTC.</summary>
    public DateTime? Moment(string name)
    {
        var text = String(name);
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)) return moment.UtcDateTime;
        validator.Add(name, ValidationCodes.InvalidDate);
        return null;
    }

    /// <summary>A date as <c>YYYY-MM-DD</c>; a full ISO date-time is accepted and its date kept.</summary>
    public DateOnly? Date(string name)
    {
        var text = String(name);
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment)) return DateOnly.FromDateTime(moment.Date);
        validator.Add(name, ValidationCodes.InvalidDate);
        return null;
    }
}
