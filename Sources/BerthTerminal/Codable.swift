// The engine's small value types as Codable values, for the server's saved
// state (upgrade in place, resurrection): key bindings name keys, status
// styles name colours and attributes. Written by hand (synthesis needs the
// type's own file): a colour is its packed 32 bits, a style three fields.
extension Color: Codable {
  public init(from decoder: any Decoder) throws {
    self.init(rawValue: try decoder.singleValueContainer().decode(UInt32.self))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }
}

extension Style: Codable {
  private enum CodingKeys: String, CodingKey { case foreground, background, attributes }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      foreground: try c.decode(Color.self, forKey: .foreground),
      background: try c.decode(Color.self, forKey: .background),
      attributes: try c.decode(Attributes.self, forKey: .attributes))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(foreground, forKey: .foreground)
    try c.encode(background, forKey: .background)
    try c.encode(attributes, forKey: .attributes)
  }
}

extension Attributes: Codable {}
extension Key: Codable {}
extension KeyModifiers: Codable {}
