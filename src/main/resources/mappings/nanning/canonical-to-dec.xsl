<?xml version="1.0" encoding="UTF-8"?>
<!-- The hub's ExportShipmentData to Nanning Customs' declaration format (urn:cn:nanning-customs:dec:v1). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:h="urn:huunghi-gate:hub:v1" xmlns="urn:cn:nanning-customs:dec:v1"
                exclude-result-prefixes="h">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/h:Message">
    <xsl:variable name="e" select="h:Body/h:ExportShipmentData"/>
    <DecMessage>
      <MessageHead>
        <MessageId><xsl:value-of select="h:Header/h:MessageId"/></MessageId>
        <xsl:if test="h:Header/h:CorrelationId">
          <CorrelationId><xsl:value-of select="h:Header/h:CorrelationId"/></CorrelationId>
        </xsl:if>
        <FunctionCode><xsl:value-of select="h:Header/h:FunctionCode"/></FunctionCode>
        <SenderId><xsl:value-of select="h:Header/h:Sender"/></SenderId>
        <ReceiverId><xsl:value-of select="h:Header/h:Receiver"/></ReceiverId>
        <SendTime><xsl:value-of select="h:Header/h:CreatedAt"/></SendTime>
      </MessageHead>
      <DecHead>
        <EntryId><xsl:value-of select="$e/h:ExportDeclarationNumber"/></EntryId>
        <IEPort><xsl:value-of select="$e/h:DepartureCustomsCode"/></IEPort>
        <IEFlag>E</IEFlag>
        <BorderGate><xsl:value-of select="$e/h:BorderGate"/></BorderGate>
        <RouteId><xsl:value-of select="$e/h:FreightRoute"/></RouteId>
        <Trade><xsl:apply-templates select="$e/h:Exporter"/></Trade>
        <Consignee><xsl:apply-templates select="$e/h:Consignee"/></Consignee>
        <xsl:if test="$e/h:VietnameseDeclarationReference">
          <ForeignDeclNo><xsl:value-of select="$e/h:VietnameseDeclarationReference"/></ForeignDeclNo>
        </xsl:if>
        <Traf>
          <TrafNo nationality="{$e/h:TransportMeans/h:VehiclePlate/@nationality}"><xsl:value-of select="$e/h:TransportMeans/h:VehiclePlate"/></TrafNo>
          <TrafMode><xsl:value-of select="$e/h:TransportMeans/h:VehicleKind"/></TrafMode>
          <xsl:for-each select="$e/h:TransportMeans/h:Driver">
            <Driver>
              <Name><xsl:value-of select="h:Name"/></Name>
              <DocNo type="{h:IdentityDocument/@kind}"><xsl:value-of select="h:IdentityDocument"/></DocNo>
              <Nationality><xsl:value-of select="h:Nationality"/></Nationality>
            </Driver>
          </xsl:for-each>
        </Traf>
        <GrossWt><xsl:value-of select="$e/h:TotalGrossMass"/></GrossWt>
        <FobValue curr="{$e/h:FobValue/@currency}"><xsl:value-of select="$e/h:FobValue"/></FobValue>
        <ExportTime><xsl:value-of select="$e/h:ExportedAt"/></ExportTime>
      </DecHead>
      <DecContainers>
        <xsl:for-each select="$e/h:TransportEquipment">
          <DecContainer>
            <ContainerId><xsl:value-of select="h:ContainerNumber"/></ContainerId>
            <ContainerMd><xsl:value-of select="h:SizeType"/></ContainerMd>
            <xsl:for-each select="h:Seal"><SealNo><xsl:value-of select="."/></SealNo></xsl:for-each>
            <GrossWt><xsl:value-of select="h:GrossMass"/></GrossWt>
          </DecContainer>
        </xsl:for-each>
      </DecContainers>
      <DecLists>
        <xsl:for-each select="$e/h:GoodsItem">
          <DecList>
            <GNo><xsl:value-of select="h:SequenceNumber"/></GNo>
            <CodeTS><xsl:value-of select="h:HsCode"/></CodeTS>
            <GName><xsl:value-of select="h:Description"/></GName>
            <OriginCountry><xsl:value-of select="h:OriginCountry"/></OriginCountry>
            <GQty unit="{h:Quantity/@unitCode}"><xsl:value-of select="h:Quantity"/></GQty>
            <NetWt><xsl:value-of select="h:NetMass"/></NetWt>
            <GrossWt><xsl:value-of select="h:GrossMass"/></GrossWt>
            <DeclTotal curr="{h:InvoiceValue/@currency}"><xsl:value-of select="h:InvoiceValue"/></DeclTotal>
            <xsl:for-each select="h:ContainerNumber"><ContainerId><xsl:value-of select="."/></ContainerId></xsl:for-each>
            <xsl:if test="h:PreferentialOriginCertificate">
              <OriginCertNo><xsl:value-of select="h:PreferentialOriginCertificate"/></OriginCertNo>
            </xsl:if>
          </DecList>
        </xsl:for-each>
      </DecLists>
    </DecMessage>
  </xsl:template>

  <xsl:template match="h:Exporter | h:Consignee">
    <Code scheme="{h:Id/@scheme}"><xsl:value-of select="h:Id"/></Code>
    <Name><xsl:value-of select="h:Name"/></Name>
    <xsl:if test="h:Address/h:Street"><Street><xsl:value-of select="h:Address/h:Street"/></Street></xsl:if>
    <xsl:if test="h:Address"><City><xsl:value-of select="h:Address/h:City"/></City><Country><xsl:value-of select="h:Address/h:Country"/></Country></xsl:if>
  </xsl:template>
</xsl:stylesheet>
