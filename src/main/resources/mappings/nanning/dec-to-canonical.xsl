<?xml version="1.0" encoding="UTF-8"?>
<!-- Nanning Customs' declaration format (urn:cn:nanning-customs:dec:v1) to the hub's ExportShipmentData. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:d="urn:cn:nanning-customs:dec:v1" xmlns="urn:huunghi-gate:hub:v1"
                exclude-result-prefixes="d">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/d:DecMessage">
    <Message>
      <Header>
        <MessageId><xsl:value-of select="d:MessageHead/d:MessageId"/></MessageId>
        <xsl:if test="d:MessageHead/d:CorrelationId">
          <CorrelationId><xsl:value-of select="d:MessageHead/d:CorrelationId"/></CorrelationId>
        </xsl:if>
        <MessageType>ExportShipmentData</MessageType>
        <FunctionCode><xsl:value-of select="d:MessageHead/d:FunctionCode"/></FunctionCode>
        <Sender><xsl:value-of select="d:MessageHead/d:SenderId"/></Sender>
        <Receiver><xsl:value-of select="d:MessageHead/d:ReceiverId"/></Receiver>
        <CreatedAt><xsl:value-of select="d:MessageHead/d:SendTime"/></CreatedAt>
        <SchemaVersion>1.0</SchemaVersion>
      </Header>
      <Body>
        <ExportShipmentData>
          <xsl:apply-templates select="d:DecHead"/>
        </ExportShipmentData>
      </Body>
    </Message>
  </xsl:template>

  <xsl:template match="d:DecHead">
    <ExportDeclarationNumber><xsl:value-of select="d:EntryId"/></ExportDeclarationNumber>
    <DepartureCustomsCode><xsl:value-of select="d:IEPort"/></DepartureCustomsCode>
    <BorderGate><xsl:value-of select="d:BorderGate"/></BorderGate>
    <FreightRoute><xsl:value-of select="d:RouteId"/></FreightRoute>
    <Exporter><xsl:apply-templates select="d:Trade"/></Exporter>
    <Consignee><xsl:apply-templates select="d:Consignee"/></Consignee>
    <xsl:if test="d:ForeignDeclNo">
      <VietnameseDeclarationReference><xsl:value-of select="d:ForeignDeclNo"/></VietnameseDeclarationReference>
    </xsl:if>
    <TransportMeans>
      <VehiclePlate nationality="{d:Traf/d:TrafNo/@nationality}"><xsl:value-of select="d:Traf/d:TrafNo"/></VehiclePlate>
      <VehicleKind><xsl:value-of select="d:Traf/d:TrafMode"/></VehicleKind>
      <xsl:for-each select="d:Traf/d:Driver">
        <Driver>
          <Name><xsl:value-of select="d:Name"/></Name>
          <IdentityDocument kind="{d:DocNo/@type}"><xsl:value-of select="d:DocNo"/></IdentityDocument>
          <Nationality><xsl:value-of select="d:Nationality"/></Nationality>
        </Driver>
      </xsl:for-each>
    </TransportMeans>
    <xsl:for-each select="../d:DecContainers/d:DecContainer">
      <TransportEquipment>
        <ContainerNumber><xsl:value-of select="d:ContainerId"/></ContainerNumber>
        <SizeType><xsl:value-of select="d:ContainerMd"/></SizeType>
        <xsl:for-each select="d:SealNo"><Seal><xsl:value-of select="."/></Seal></xsl:for-each>
        <GrossMass unitCode="KGM"><xsl:value-of select="d:GrossWt"/></GrossMass>
      </TransportEquipment>
    </xsl:for-each>
    <xsl:for-each select="../d:DecLists/d:DecList">
      <GoodsItem>
        <SequenceNumber><xsl:value-of select="d:GNo"/></SequenceNumber>
        <HsCode><xsl:value-of select="d:CodeTS"/></HsCode>
        <Description><xsl:value-of select="d:GName"/></Description>
        <OriginCountry><xsl:value-of select="d:OriginCountry"/></OriginCountry>
        <Quantity unitCode="{d:GQty/@unit}"><xsl:value-of select="d:GQty"/></Quantity>
        <NetMass unitCode="KGM"><xsl:value-of select="d:NetWt"/></NetMass>
        <GrossMass unitCode="KGM"><xsl:value-of select="d:GrossWt"/></GrossMass>
        <InvoiceValue currency="{d:DeclTotal/@curr}"><xsl:value-of select="d:DeclTotal"/></InvoiceValue>
        <xsl:for-each select="d:ContainerId"><ContainerNumber><xsl:value-of select="."/></ContainerNumber></xsl:for-each>
        <xsl:if test="d:OriginCertNo">
          <PreferentialOriginCertificate><xsl:value-of select="d:OriginCertNo"/></PreferentialOriginCertificate>
        </xsl:if>
      </GoodsItem>
    </xsl:for-each>
    <TotalGrossMass unitCode="KGM"><xsl:value-of select="d:GrossWt"/></TotalGrossMass>
    <FobValue currency="{d:FobValue/@curr}"><xsl:value-of select="d:FobValue"/></FobValue>
    <ExportedAt><xsl:value-of select="d:ExportTime"/></ExportedAt>
  </xsl:template>

  <xsl:template match="d:Trade | d:Consignee">
    <Id scheme="{d:Code/@scheme}"><xsl:value-of select="d:Code"/></Id>
    <Name><xsl:value-of select="d:Name"/></Name>
    <xsl:if test="d:City">
      <Address>
        <xsl:if test="d:Street"><Street><xsl:value-of select="d:Street"/></Street></xsl:if>
        <City><xsl:value-of select="d:City"/></City>
        <Country><xsl:value-of select="d:Country"/></Country>
      </Address>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
