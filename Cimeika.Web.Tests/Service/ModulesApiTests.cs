using System.Net;
using System.Text.Json.Nodes;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Service;

/// <summary>The earlier system's service routes, pinned with their intended values.</summary>
public sealed class ModulesApiTests : AppTest
{
    private static readonly string[] ApiOrder = ["ci", "kazkar", "podija", "nastrij", "malya", "gallery", "calendar"];

    [Test]
    public async Task Api_root_lists_the_seven_modules_for_json_clients()
    {
        var response = await Client.GetAsync("/");
        var body = await response.JsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)body["status"], Is.EqualTo("success"));
        Assert.That((string?)body["docs"], Is.EqualTo("/api/docs"));
        Assert.That((string?)body["version"], Is.Not.Empty);
        Assert.That((string?)body["message"], Is.Not.Empty);
        Assert.That(body["modules"]!.AsArray().Select(m => (string?)m), Is.EqualTo(ApiOrder));
    }

    [Test]
    public async Task Root_redirects_browsers_to_ci()
    {
        var response = await Client.GetHtmlAsync("/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/ci"));
    }

    [Test]
    public async Task Modules_list_returns_the_seven_names()
    {
        var body = await (await Client.GetAsync("/api/v1/modules/")).JsonAsync();

        Assert.That((string?)body["status"], Is.EqualTo("success"));
        Assert.That(body["modules"]!.AsArray().Select(m => (string?)m), Is.EqualTo(ApiOrder));
    }

    [Test]
    public async Task Modules_status_reports_every_module_active_and_initialized()
    {
        var response = await Client.GetAsync("/api/v1/modules/status");
        var modules = (await response.JsonAsync())["modules"]!.AsObject();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(modules.Select(m => m.Key), Is.EquivalentTo(ApiOrder));
        foreach (var (name, status) in modules)
        {
            Assert.That((string?)status!["status"], Is.EqualTo("active"), name);
            Assert.That((bool?)status["initialized"], Is.True, name);
            Assert.That((string?)status["name"], Is.Not.Empty, name);
        }
        Assert.That((string?)modules["kazkar"]!["name"], Is.EqualTo("Казкар"));
    }

    [TestCase("status")]
    [TestCase("metadata")]
    public async Task One_module_status_and_metadata_answer_for_every_module(string what)
    {
        foreach (var name in ApiOrder)
        {
            var response = await Client.GetAsync($"/api/v1/modules/{name}/{what}");
            var body = await response.JsonAsync();

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), name);
            Assert.That((string?)body["status"], Is.EqualTo("success"));
            Assert.That((string?)body["module"], Is.EqualTo(name));
            Assert.That(body["data"], Is.InstanceOf<JsonObject>());
        }
    }

    [TestCase("status")]
    [TestCase("metadata")]
    public async Task Unknown_module_is_404_with_detail(string what)
    {
        var response = await Client.GetAsync($"/api/v1/modules/unknown/{what}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((string?)(await response.JsonAsync())["detail"], Is.EqualTo("Module 'unknown' not found"));
    }

    [Test]
    public async Task Each_module_root_answers_with_its_name_and_active_status()
    {
        foreach (var name in ApiOrder)
        {
            var response = await Client.GetAsync($"/api/v1/{name}/");
            var body = await response.JsonAsync();

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), name);
            Assert.That((string?)body["module"], Is.EqualTo(name));
            Assert.That((string?)body["status"], Is.EqualTo("active"));
            Assert.That((string?)body["name"], Is.Not.Empty);
            Assert.That((string?)body["description"], Is.Not.Empty);
        }
    }

    [Test]
    public async Task Unknown_api_route_is_a_json_404()
    {
        var response = await Client.GetAsync("/api/v1/nothing-here");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That((string?)(await response.JsonAsync())["detail"], Is.EqualTo("Not Found"));
    }

    [Test]
    public async Task Openapi_document_describes_every_json_endpoint_with_shapes()
    {
        var response = await Client.GetAsync("/api/openapi.json");
        var document = await response.JsonAsync();
        var paths = document["paths"]!.AsObject();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(paths.Select(p => p.Key), Is.SupersetOf(new[]
        {
            "/", "/health", "/ready", "/api/v1/modules", "/api/v1/modules/status", "/api/v1/modules/{name}/status",
            "/api/v1/modules/{name}/metadata", "/api/v1/kazkar/stories", "/api/v1/kazkar/stories/{id}",
            "/api/v1/kazkar/legends", "/api/v1/kazkar/stats", "/api/v1/kazkar/import", "/api/v1/kazkar/export",
        }).Or.SupersetOf(new[] { "/api/v1/modules/" }));
        foreach (var module in ApiOrder)
        {
            Assert.That(paths.Any(p => p.Key.TrimEnd('/') == $"/api/v1/{module}"), Is.True, module);
        }
        var createStory = paths["/api/v1/kazkar/stories"]!["post"]!;
        Assert.That(createStory["requestBody"]!["content"]!["application/json"], Is.Not.Null);
        Assert.That(createStory["responses"]!["201"], Is.Not.Null);
        Assert.That(createStory["responses"]!["422"], Is.Not.Null);
        Assert.That(document["components"]!["schemas"]!.AsObject().Select(s => s.Key), Has.Some.Contains("StoryDto"));
    }

    [Test]
    public async Task Swagger_ui_loads_at_api_docs()
    {
        var response = await Client.GetAsync("/api/docs/index.html");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("swagger-ui"));
    }
}
