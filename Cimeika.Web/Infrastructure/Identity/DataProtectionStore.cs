using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Cimeika.Web.Infrastructure.Configuration;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Npgsql;

namespace Cimeika.Web.Infrastructure.Identity;

/// <summary>The data-protection key ring in PostgreSQL, so every instance shares it.</summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = dataSource.OpenConnection();
        return connection.Query<string>("select xml from data_protection_keys order by id")
            .Select(XElement.Parse)
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = dataSource.OpenConnection();
        connection.Execute("insert into data_protection_keys (xml) values (@xml)",
            new { xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}

/// <summary>The key that encrypts the key ring at rest: HKDF-SHA256 of SECRET_KEY.</summary>
public sealed class KeyRingSecret
{
    // Only where no SECRET_KEY is configured, which production refuses.
    private const string DevelopmentSecret = "cimeika-development-secret-not-for-production-use";

    public KeyRingSecret(AppSettings settings, ILogger<KeyRingSecret> logger)
    {
        var secret = settings.SecretKey;
        if (secret is null)
        {
            logger.LogWarning("SECRET_KEY is not set: the data-protection key ring is encrypted with a development key");
            secret = DevelopmentSecret;
        }
        Key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32,
            Encoding.UTF8.GetBytes("cimeika-key-ring"), Encoding.UTF8.GetBytes("v1"));
    }

    public byte[] Key { get; }
}

/// <summary>AES-256-GCM over each key element; the decryptor finds the key through DI.</summary>
public sealed class SecretKeyXmlEncryptor(KeyRingSecret secret) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(secret.Key, tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag);
        }
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with a key derived from SECRET_KEY (AES-256-GCM). "),
            new XElement("value", Convert.ToBase64String([.. nonce, .. tag, .. cipher])));
        return new EncryptedXmlInfo(element, typeof(SecretKeyXmlDecryptor));
    }
}

public sealed class SecretKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<KeyRingSecret>().Key;
        var payload = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        var plain = new byte[payload.Length - nonceSize - tagSize];
        using (var aes = new AesGcm(key, tagSize))
        {
            aes.Decrypt(payload.AsSpan(0, nonceSize), payload.AsSpan(nonceSize + tagSize), payload.AsSpan(nonceSize, tagSize), plain);
        }
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}
